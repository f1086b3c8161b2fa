//! Opening a connection: the machine's settings read (environment, service file, pass file),
//! TLS as `sslmode` asks, and each way of failing turned into an error that says what to
//! check. Statement and lock timeouts travel in the startup packet: no extra round trip.

use std::path::{Path, PathBuf};
use std::time::Duration;

use postgres::Client;
use postgres::config::SslMode as WireSslMode;

use super::passfile;
use super::target::{self, Host, SslMode, Surroundings, Target};
use super::tls;
use crate::error::{Error, Result};

/// A statement that runs this long is stopped: a terminal must never hang at the counter.
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a command waits for another terminal's lock (a shop's budget month) before giving
/// up with exit 75, as SQLite's busy timeout does.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(10);

/// An open connection, and where to.
pub struct Connection {
    pub client: Client,
    pub target: Target,
}

/// Resolves `uri` with this machine's settings, telling `warn` what it ignored: nothing is
/// connected yet.
pub fn resolve(uri: &str, warn: &mut dyn FnMut(&str)) -> Result<Target> {
    let home = directories::BaseDirs::new().map(|dirs| dirs.home_dir().to_path_buf());
    let env = |key: &str| std::env::var(key).ok();
    let service_path = env("PGSERVICEFILE")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".pg_service.conf")));
    let service_text = service_path
        .as_deref()
        .and_then(|p| std::fs::read_to_string(p).ok());
    let service_name = service_path
        .as_deref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let login = env("USER").unwrap_or_else(|| "postgres".into());
    let mut target = target::resolve(
        uri,
        &Surroundings {
            env: &env,
            services: service_text.as_deref().map(|t| (t, service_name.as_str())),
            login: &login,
        },
    )?;
    if target.password.is_none() {
        let pass_path = env("PGPASSFILE")
            .map(PathBuf::from)
            .or_else(|| home.map(|h| h.join(".pgpass")));
        if let Some(path) = pass_path.filter(|p| p.exists()) {
            target.password = password_from(&path, &target, warn);
        }
    }
    Ok(target)
}

fn password_from(path: &Path, target: &Target, warn: &mut dyn FnMut(&str)) -> Option<String> {
    if let Some(warning) = passfile::too_open(path) {
        warn(&warning);
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    passfile::lookup(&text, target)
}

/// Connects to the server `uri` names.
pub fn open(uri: &str, warn: &mut dyn FnMut(&str)) -> Result<Connection> {
    let target = resolve(uri, warn)?;
    let mut config = postgres::Config::new();
    match &target.host {
        Host::Socket(dir) => config.host_path(dir),
        Host::Tcp(name) => config.host(name),
    };
    config
        .port(target.port)
        .user(&target.user)
        .dbname(&target.dbname)
        .application_name("makegood")
        .connect_timeout(target.connect_timeout)
        .options(&format!(
            "-c statement_timeout={} -c lock_timeout={}",
            STATEMENT_TIMEOUT.as_millis(),
            LOCK_TIMEOUT.as_millis()
        ))
        .ssl_mode(match target.sslmode {
            SslMode::Disable => WireSslMode::Disable,
            SslMode::Allow | SslMode::Prefer => WireSslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => WireSslMode::Require,
        });
    if let Some(password) = &target.password {
        config.password(password);
    }
    let client = match (&target.host, target.sslmode) {
        // TLS has no meaning over a Unix socket; libpq does not use it there either.
        (Host::Socket(_), _) | (_, SslMode::Disable) => config.connect(postgres::NoTls),
        _ => config.connect(tls::connector(&target)?),
    }
    .map_err(|e| connect_error(&target, &e))?;
    Ok(Connection { client, target })
}

/// What went wrong while connecting, and what to check.
fn connect_error(target: &Target, e: &postgres::Error) -> Error {
    use postgres::error::SqlState;
    let Some(db) = e.as_db_error() else {
        // No answer from a server: down, wrong host or port, a firewall, or TLS refused.
        return Error::Unreachable {
            target: target.to_string(),
            message: format!(
                "{}. Check that the server runs and that the host and port are right \
                 (--db, PGHOST, PGPORT); nothing was written",
                crate::error::chain(e)
            ),
        };
    };
    let advice = match db.code() {
        c if *c == SqlState::INVALID_PASSWORD
            || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION =>
        {
            "check the role and its password in ~/.pgpass (chmod 600) or the service file"
        }
        c if *c == SqlState::INVALID_CATALOG_NAME => "create it (createdb) or name another in --db",
        c if *c == SqlState::TOO_MANY_CONNECTIONS || *c == SqlState::CANNOT_CONNECT_NOW => {
            return Error::Unreachable {
                target: target.to_string(),
                message: format!("{}; try again shortly", db.message()),
            };
        }
        _ => "see the server's log",
    };
    Error::Server {
        target: target.to_string(),
        message: format!("{}; {advice}", db.message()),
    }
}
