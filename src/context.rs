//! What every command runs with, built once by the dispatcher: the clock, the database (opened
//! on first use, so `--help` and `policy check` never create one), stdout, and whether prompting
//! is allowed.

use std::io::{self, BufWriter, IsTerminal, Stdout, Write};
use std::path::PathBuf;

use crate::cli::GlobalArgs;
use crate::dates::{Clock, Zone};
use crate::error::{Error, Result};
use crate::money::{Currency, Money};
use crate::output;
use crate::output::sanitize::TerminalOut;
use crate::policy::Policy;
use crate::policy_source::PolicySource;
use crate::shop_zone;
use crate::store::Store;
use crate::store::maintenance::Health;
use crate::store::postgres::{self, PgStore};
use crate::store::sqlite::SqliteStore;

pub struct Context {
    pub clock: Clock,
    /// Prompts are allowed: stdin is a terminal and `--no-input` was not given.
    pub interactive: bool,
    pub quiet: bool,
    pub verbose: bool,
    /// Who is recorded in the timeline: the login name, or `makegood` when unknown.
    pub actor: String,
    pub db_path: PathBuf,
    pub policy_path: Option<PathBuf>,
    /// The shop named by `--shop` or `MAKEGOOD_SHOP` (a chain's database only).
    pub shop: Option<String>,
    /// The command only reads: a missing database is an error, never created.
    pub reads_only: bool,
    /// The command reads every shop of a chain (`report --all-shops`): none is chosen.
    pub all_shops: bool,
    policy: Option<(PolicySource, Policy)>,
    store: Option<Box<dyn Store>>,
    /// The zone of the shop a chain's database works for, once it is open.
    shop_zone: Option<Zone>,
    out: BufWriter<TerminalOut<Stdout>>,
}

impl Context {
    pub fn new(global: &GlobalArgs) -> Result<Context> {
        let clock = Clock::from_env().map_err(|e| Error::invalid("clock", e.to_string()))?;
        let db_path = match &global.db {
            Some(path) => path.clone(),
            None => default_db_path()?,
        };
        Ok(Context {
            clock,
            interactive: !global.no_input && io::stdin().is_terminal(),
            quiet: global.quiet,
            verbose: global.verbose,
            actor: std::env::var("USER")
                .ok()
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| "makegood".into()),
            db_path,
            policy_path: global.policy.clone(),
            shop: global.shop.clone(),
            reads_only: false,
            all_shops: false,
            policy: None,
            store: None,
            shop_zone: None,
            // At a terminal, stored text is shown with its escape sequences made visible.
            out: BufWriter::new(TerminalOut::new(io::stdout(), io::stdout().is_terminal())),
        })
    }

    /// The store behind its backend-neutral trait, opened (created and migrated if needed) on
    /// first use.
    pub fn backend(&mut self) -> Result<&mut dyn Store> {
        Ok(self.open()?.0)
    }

    /// The store behind its trait and stdout at once, for commands that stream rows from one
    /// to the other.
    pub fn backend_and_out(&mut self) -> Result<(&mut dyn Store, &mut dyn Write)> {
        self.open()
    }

    /// Inspects the database without opening it as a store: never creates, migrates or
    /// writes, so it can look at a damaged file or one of a newer makegood.
    pub fn health(&self) -> Result<Health> {
        if self.on_server() {
            return Err(Error::invalid(
                "--db",
                "`check` inspects a SQLite file; a chain's database is checked by its \
                 PostgreSQL server (and `makegood db migrate` reports its schema)",
            ));
        }
        if !self.db_path.exists() {
            return Err(Error::NoDatabase(self.db_path.clone()));
        }
        crate::store::sqlite::maintenance::check(&self.db_path)
    }

    /// Whether `--db` names a chain's PostgreSQL database rather than a SQLite file.
    pub fn on_server(&self) -> bool {
        self.db_path.to_str().is_some_and(postgres::is_uri)
    }

    /// Opens the backend `--db` names on first use; the one place that knows which it is.
    fn open(&mut self) -> Result<(&mut dyn Store, &mut dyn Write)> {
        if self.store.is_none() {
            let store: Box<dyn Store> = if self.on_server() {
                Box::new(self.open_server()?)
            } else {
                Box::new(self.open_file()?)
            };
            self.store = Some(store);
        }
        let Context { store, out, .. } = self;
        match store {
            Some(store) => Ok((store.as_mut(), out)),
            None => Err(Error::Conflict("the database is not open".into())),
        }
    }

    fn open_file(&mut self) -> Result<SqliteStore> {
        if self.reads_only && !self.db_path.exists() {
            return Err(Error::NoDatabase(self.db_path.clone()));
        }
        let store = SqliteStore::open(&self.db_path)?;
        if store.was_created() {
            self.say(&format!(
                "makegood: new database at {} (another: --db or MAKEGOOD_DB)",
                self.db_path.display()
            ));
        }
        for note in store.notes() {
            self.say(note);
        }
        if self.verbose {
            output::message(&format!(
                "makegood: database: {} (schema version {})",
                self.db_path.display(),
                crate::store::sqlite::migrations::current_version()
            ));
        }
        Ok(store)
    }

    fn open_server(&mut self) -> Result<PgStore> {
        let uri = self.db_path.to_string_lossy().into_owned();
        let quiet = self.quiet;
        let mut warn = |text: &str| {
            if !quiet {
                output::message(&format!("makegood: {text}"));
            }
        };
        let store = if self.all_shops {
            // A report over every shop: each shop's days are counted in its own zone there.
            PgStore::open_chain(&uri, &mut warn)?
        } else {
            let store = PgStore::open(&uri, self.shop.as_deref(), &mut warn)?;
            // The shop's own zone, kept with the shop, rules its days (`MAKEGOOD_TZ` still
            // wins): shops of one chain may share a policy file and lie in different zones.
            let zone = crate::dates::parse_zone(&store.shop().timezone)
                .map_err(|e| Error::invalid("shop timezone", e))?;
            self.shop_zone = Some(zone);
            let zone = shop_zone::settle(Some(zone))?;
            self.set_zone(zone);
            if let Some((_, policy)) = &mut self.policy {
                policy.calendar.zone = zone;
            }
            store
        };
        if self.verbose {
            output::message(&format!(
                "makegood: database: {} (shop {}, schema version {})",
                store.target(),
                store.shop().name,
                postgres::schema::current_version()
            ));
        }
        Ok(store)
    }

    /// Where data goes: stdout, buffered. Flushed by the dispatcher.
    pub fn out(&mut self) -> &mut dyn Write {
        &mut self.out
    }

    /// A message for the person at the terminal (stderr), unless `--quiet`.
    pub fn say(&self, text: &str) {
        if !self.quiet {
            output::message(text);
        }
    }

    /// Whether this command has committed a change to the database.
    pub fn committed(&self) -> bool {
        self.store
            .as_ref()
            .is_some_and(|store| store.has_committed())
    }

    pub fn flush(&mut self) -> Result<()> {
        self.out.flush().map_err(Error::from)
    }
}

/// `~/.local/share/makegood/makegood.db` on Linux, the platform's data folder elsewhere.
fn default_db_path() -> Result<PathBuf> {
    crate::location::data_dir()
        .map(|dir| dir.join("makegood.db"))
        .ok_or_else(|| {
            Error::invalid(
                "--db",
                "no home folder to keep the database in; give --db PATH or set MAKEGOOD_DB",
            )
        })
}

impl Context {
    /// The policy in force, read and validated on first use. Reading it settles the shop's
    /// time zone: the clock and the policy's calendar both carry it from then on.
    pub fn policy(&mut self) -> Result<&Policy> {
        if self.policy.is_none() {
            let source = PolicySource::locate(self.policy_path.as_deref());
            let mut policy = source.load()?;
            if self.verbose {
                output::message(&format!("makegood: policy: {source}"));
            }
            let zone = shop_zone::settle(self.shop_zone.or(policy.timezone))?;
            policy.calendar.zone = zone;
            self.set_zone(zone);
            self.policy = Some((source, policy));
        }
        match &self.policy {
            Some((_, policy)) => Ok(policy),
            None => Err(Error::Conflict("the policy is not loaded".into())),
        }
    }

    /// Where the policy in force came from (loads it if needed).
    pub fn policy_source(&mut self) -> Result<PolicySource> {
        self.policy()?;
        match &self.policy {
            Some((source, _)) => Ok(source.clone()),
            None => Err(Error::Conflict("the policy is not loaded".into())),
        }
    }

    /// The currency amounts are read and written in: the policy's.
    pub fn currency(&mut self) -> Result<Currency> {
        Ok(self.policy()?.currency)
    }

    /// The policy's categories, `(name, description)`, offered when prompting.
    pub fn categories(&mut self) -> Result<Vec<(String, String)>> {
        Ok(self
            .policy()?
            .categories
            .iter()
            .map(|(name, description)| (name.clone(), description.clone()))
            .collect())
    }

    /// Settles the shop's time zone before a command reads the clock: `MAKEGOOD_TZ` alone when
    /// set, else on a chain's database the shop's (which connects), else the policy's (which
    /// reads the policy) or the machine's.
    pub fn settle_zone(&mut self) -> Result<()> {
        match shop_zone::from_env()? {
            Some(zone) => self.set_zone(zone),
            // A report over every shop has no one shop's zone: each shop's is its own.
            None if self.on_server() && !self.all_shops => {
                self.open()?;
            }
            None => {
                self.policy()?;
            }
        }
        Ok(())
    }

    fn set_zone(&mut self, zone: Zone) {
        self.clock = self.clock.in_zone(zone);
        output::fit::show_times_in(zone);
    }

    /// The policy's first-response target, in hours.
    pub fn first_response_target_hours(&mut self) -> Result<u32> {
        Ok(self.policy()?.targets.first_response_hours)
    }

    /// The policy's monthly budget for extras, if it sets one.
    pub fn monthly_budget(&mut self) -> Result<Option<Money>> {
        Ok(self.policy()?.limits.monthly_budget)
    }
}

/// A database opened for `transfer`, and the SQLite file it created (removed if the transfer
/// fails, so a failed transfer leaves nothing behind).
pub struct Opened {
    pub store: Box<dyn Store>,
    pub created: Option<PathBuf>,
    /// A chain's database rather than a SQLite file.
    pub on_server: bool,
}

impl Context {
    /// Opens the database at `db` (a SQLite file or a `postgresql://` URI) for `transfer`, as
    /// the source (which must exist) or the receiving side. A receiving server gets the shop
    /// `--shop` names, added by the transfer's own write when new (in the zone and currency
    /// in force, as `shop add` takes them), or its only shop.
    pub fn open_for_transfer(&mut self, db: &std::path::Path, receiving: bool) -> Result<Opened> {
        let Some(uri) = db.to_str().filter(|d| postgres::is_uri(d)) else {
            if !receiving && !db.exists() {
                return Err(Error::NoDatabase(db.to_path_buf()));
            }
            let store = SqliteStore::open(db)?;
            for note in store.notes() {
                self.say(note);
            }
            let created = store.was_created().then(|| db.to_path_buf());
            return Ok(Opened {
                store: Box::new(store),
                created,
                on_server: false,
            });
        };
        let quiet = self.quiet;
        let mut warn = |text: &str| {
            if !quiet {
                output::message(&format!("makegood: {text}"));
            }
        };
        let store = if receiving {
            let new = match self.shop.clone() {
                Some(name) => {
                    crate::app::chain::check_name(&name)?;
                    Some(postgres::shops::Shop {
                        id: 0,
                        name,
                        timezone: self.clock.zone().name().to_string(),
                        currency: self.currency()?.code().to_string(),
                        created_at: self.clock.now(),
                    })
                }
                None => None,
            };
            PgStore::open_receiving(uri, new, &mut warn)?
        } else {
            PgStore::open(uri, self.shop.as_deref(), &mut warn)?
        };
        Ok(Opened {
            store: Box::new(store),
            created: None,
            on_server: true,
        })
    }
}
