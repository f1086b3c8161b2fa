//! A chain's database as a [`Store`] for one shop: each transaction hands the use case a
//! [`PgTx`], which implements the store's area traits (each in its area's file) with SQL on the
//! transaction, every row carrying the shop's id. Row-level security checks that id again on
//! the server, so a terminal's role cannot reach past its shop whatever this code does.

use postgres::IsolationLevel;

use super::connect::{self, Connection};
use super::schema;
use super::shops::{self, Shop};
use crate::error::{Error, Result};
use crate::store::{ShopName, ShopWork, Store, Work};

/// An open connection to a chain's database, working for one shop.
pub struct PgStore {
    pub(super) conn: Connection,
    pub(super) shop: Shop,
    committed: bool,
    /// A shop not yet in the database, added by the first write (`transfer` into a new shop):
    /// a write that fails leaves no empty shop behind.
    adding: bool,
}

/// One open transaction, for one shop.
pub struct PgTx<'t, 'c> {
    pub(crate) tx: &'t mut postgres::Transaction<'c>,
    /// The shop every row read or written belongs to.
    pub(crate) shop: i64,
}

impl PgStore {
    /// Connects to the server `uri` names, checks its schema, and settles the shop: the one
    /// named (`--shop`, `MAKEGOOD_SHOP`), else the only one this role can see.
    pub fn open(uri: &str, shop: Option<&str>, warn: &mut dyn FnMut(&str)) -> Result<PgStore> {
        let (conn, visible) = connect_checked(uri, warn)?;
        Ok(PgStore::working(conn, choose(visible, shop)?, false))
    }

    fn working(conn: Connection, shop: Shop, adding: bool) -> PgStore {
        PgStore {
            conn,
            shop,
            committed: false,
            adding,
        }
    }

    /// Opens the database to receive a shop (`transfer`): the shop named, added by the first
    /// write when it does not exist yet (as `new` describes it), else the only one there is.
    pub fn open_receiving(
        uri: &str,
        new: Option<Shop>,
        warn: &mut dyn FnMut(&str),
    ) -> Result<PgStore> {
        let (conn, visible) = connect_checked(uri, warn)?;
        let (shop, adding) = match new {
            Some(new) => match visible
                .iter()
                .find(|s| s.name.eq_ignore_ascii_case(&new.name))
            {
                Some(found) => (found.clone(), false),
                None => (new, true),
            },
            None if visible.is_empty() => {
                return Err(Error::invalid(
                    "--shop",
                    "this database has no shop yet: name the one to move into with --shop NAME \
                     (it is added)",
                ));
            }
            None => (choose(visible, None)?, false),
        };
        Ok(PgStore::working(conn, shop, adding))
    }

    /// Connects for a report over every shop this role can see (`report --all-shops`): no
    /// shop is chosen, though one must be visible. Work for one shop (`write`, `read`) goes to
    /// the first by name; `read_each_shop` goes through them all.
    pub fn open_chain(uri: &str, warn: &mut dyn FnMut(&str)) -> Result<PgStore> {
        let (conn, visible) = connect_checked(uri, warn)?;
        let shop = visible.into_iter().next().ok_or_else(no_shop)?;
        Ok(PgStore::working(conn, shop, false))
    }

    /// The shop this store works for.
    pub fn shop(&self) -> &Shop {
        &self.shop
    }

    /// Where it is connected, for messages.
    pub fn target(&self) -> String {
        self.conn.target.to_string()
    }

    fn run(
        &mut self,
        isolation: IsolationLevel,
        read_only: bool,
        work: Work<'_>,
    ) -> Result<postgres::Transaction<'_>> {
        let mut shop = self.shop.id;
        let mut tx = self
            .conn
            .client
            .build_transaction()
            .isolation_level(isolation)
            .read_only(read_only)
            .start()?;
        if self.adding && !read_only {
            let new = &self.shop;
            shop = tx
                .query_one(
                    "INSERT INTO shops (name, timezone, currency, created_at) \
                     VALUES ($1, $2, $3, $4) RETURNING id",
                    &[&new.name, &new.timezone, &new.currency, &new.created_at],
                )?
                .try_get(0)?;
        }
        work(&mut PgTx { tx: &mut tx, shop })?;
        if self.adding && !read_only {
            self.shop.id = shop;
        }
        Ok(tx)
    }
}

/// A connection to a schema this makegood speaks, and the shops this role can see.
fn connect_checked(uri: &str, warn: &mut dyn FnMut(&str)) -> Result<(Connection, Vec<Shop>)> {
    let mut conn = connect::open(uri, warn)?;
    let target = conn.target.to_string();
    schema::check(&mut conn.client, &target)?;
    let visible = shops::list(&mut conn.client, &target)?;
    Ok((conn, visible))
}

/// The shop a command works for, among those this role can see.
fn choose(visible: Vec<Shop>, wanted: Option<&str>) -> Result<Shop> {
    let names = || {
        visible
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match wanted {
        Some(name) => {
            let found = visible
                .iter()
                .find(|s| s.name == name)
                .or_else(|| visible.iter().find(|s| s.name.eq_ignore_ascii_case(name)));
            match found {
                Some(shop) => Ok(shop.clone()),
                None if visible.is_empty() => Err(no_shop()),
                None => Err(Error::NotFoundHint {
                    what: "shop",
                    id: name.to_string(),
                    hint: format!("this role can work for: {}", names()),
                }),
            }
        }
        None => match visible.len() {
            0 => Err(no_shop()),
            1 => Ok(visible.into_iter().next().expect("one shop")),
            n => Err(Error::invalid(
                "--shop",
                format!(
                    "this database has {n} shops ({}); say which with --shop NAME or \
                     MAKEGOOD_SHOP",
                    names()
                ),
            )),
        },
    }
}

fn no_shop() -> Error {
    Error::invalid(
        "--shop",
        "no shop this role can work for: add one with `makegood shop add NAME`, or ask the \
         chain's owner to run `makegood db grant-shop SHOP ROLE` for this role",
    )
}

impl Store for PgStore {
    fn write_dyn(&mut self, work: Work<'_>) -> Result<()> {
        // READ COMMITTED: each statement sees what others committed before it, and the budget
        // check's row lock makes a second terminal wait, then read the first one's spending.
        let mut tx = self.run(IsolationLevel::ReadCommitted, false, work)?;
        // Only a write that changed rows counts as committed, as on SQLite (an edit changing
        // nothing does not): the server gives a transaction an id at its first change. (A
        // row lock needs one too, so a write that only took the budget's lock counts.)
        let changed: bool = tx
            .query_one("SELECT txid_current_if_assigned() IS NOT NULL", &[])?
            .try_get(0)?;
        tx.commit()?;
        self.committed |= changed;
        self.adding = false;
        Ok(())
    }

    fn read_dyn(&mut self, work: Work<'_>) -> Result<()> {
        // One snapshot for the whole read: a report or an export sees one state.
        self.run(IsolationLevel::RepeatableRead, true, work)?;
        Ok(())
    }

    fn rehearse_dyn(&mut self, work: Work<'_>) -> Result<()> {
        // Dropped without commit: rolled back.
        self.run(IsolationLevel::ReadCommitted, false, work)?;
        Ok(())
    }

    fn fill_dyn(&mut self, work: Work<'_>) -> Result<()> {
        self.write_dyn(work)
    }

    fn has_committed(&self) -> bool {
        self.committed
    }

    fn read_each_shop_dyn(&mut self, work: ShopWork<'_>) -> Result<()> {
        let mut tx = self
            .conn
            .client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        // Listed inside the snapshot (row-level security shows the role its own shops), so a
        // shop added meanwhile is in every part of the report or in none.
        let shops = tx.query(
            "SELECT id, name, currency, timezone FROM shops ORDER BY lower(name), id",
            &[],
        )?;
        for row in shops {
            let shop = ShopName {
                name: row.try_get(1)?,
                currency: row.try_get(2)?,
                timezone: row.try_get(3)?,
            };
            let id: i64 = row.try_get(0)?;
            work(
                &shop,
                &mut PgTx {
                    tx: &mut tx,
                    shop: id,
                },
            )?;
        }
        Ok(())
    }
}
