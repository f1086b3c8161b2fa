//! Which PostgreSQL server, database and role `--db postgresql://…` means, resolved the way
//! libpq resolves it so a shop's `psql` settings work unchanged: the URI first, then the service
//! it names (`service=` or `PGSERVICE`) from `~/.pg_service.conf`, then `PGHOST`, `PGPORT`,
//! `PGUSER`, `PGDATABASE`, `PGSSLMODE`, `PGSSLROOTCERT`, `PGCONNECT_TIMEOUT`, then the defaults.
//!
//! Pure: the environment and the service file's text are handed in, so every rule is tested
//! without touching the machine. A password is never taken from `--db` (any user can read a
//! process's arguments); it comes from `~/.pgpass` (see `passfile`) or `PGPASSWORD`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use url::Url;

use crate::error::{Error, Result};

/// Where libpq looks for the server's socket when no host is given (Debian's build).
pub const DEFAULT_SOCKET_DIR: &str = "/var/run/postgresql";
/// Long enough for a server across town, short enough that a terminal says so promptly.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The connection parameters makegood understands; anything else in a URI or service is refused
/// rather than silently ignored.
const KNOWN: [&str; 10] = [
    "host",
    "port",
    "user",
    "dbname",
    "sslmode",
    "sslrootcert",
    "connect_timeout",
    "application_name",
    "service",
    "password",
];

/// A server to connect to, every parameter settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: Host,
    pub port: u16,
    pub user: String,
    pub dbname: String,
    pub sslmode: SslMode,
    /// Trust only this root certificate (`sslrootcert`); otherwise the system's roots.
    pub sslrootcert: Option<PathBuf>,
    pub connect_timeout: Duration,
    /// From the service file or `PGPASSWORD`; else the caller looks in `~/.pgpass`.
    pub password: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    /// The folder holding the server's Unix socket.
    Socket(PathBuf),
    Tcp(String),
}

/// libpq's `sslmode`, all six of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(text: &str) -> Result<SslMode> {
        Ok(match text {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => {
                return Err(Error::invalid(
                    "sslmode",
                    format!(
                        "`{other}` is not a mode; use disable, allow, prefer, require, \
                         verify-ca or verify-full"
                    ),
                ));
            }
        })
    }

    /// The server's certificate is checked against a trusted root.
    pub fn verifies(self) -> bool {
        matches!(self, SslMode::VerifyCa | SslMode::VerifyFull)
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Socket(dir) => write!(f, "socket in {}", dir.display()),
            Host::Tcp(name) => f.write_str(name),
        }
    }
}

impl fmt::Display for Target {
    /// Where, for messages: never the password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "database `{}` as `{}` on {} port {}",
            self.dbname, self.user, self.host, self.port
        )
    }
}

/// What the machine supplies: environment variables and the service file's text.
pub struct Surroundings<'a> {
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// The service file's text and its name for messages, when there is one.
    pub services: Option<(&'a str, &'a str)>,
    /// The login name, the default role and database.
    pub login: &'a str,
}

/// `--db` names a PostgreSQL database rather than a file.
pub fn is_uri(db: &str) -> bool {
    db.starts_with("postgresql://") || db.starts_with("postgres://")
}

/// Resolves `uri` with what the machine supplies, as libpq would.
pub fn resolve(uri: &str, around: &Surroundings<'_>) -> Result<Target> {
    let given = parse_uri(uri)?;
    let service = given
        .get("service")
        .cloned()
        .or_else(|| (around.env)("PGSERVICE"));
    let from_service = match &service {
        Some(name) => service_params(name, around.services)?,
        None => BTreeMap::new(),
    };
    let lookup = |key: &str| -> Option<String> {
        given
            .get(key)
            .or_else(|| from_service.get(key))
            .cloned()
            .or_else(|| env_var(key).and_then(|var| (around.env)(var)))
            .filter(|v| !v.is_empty())
    };
    let host = match lookup("host") {
        Some(h) if h.starts_with('/') => Host::Socket(PathBuf::from(h)),
        Some(h) if h.contains(',') => {
            return Err(Error::invalid(
                "--db",
                "several hosts are not supported; name one server",
            ));
        }
        Some(h) => Host::Tcp(h),
        None => Host::Socket(PathBuf::from(DEFAULT_SOCKET_DIR)),
    };
    let port = match lookup("port") {
        Some(p) => p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
            Error::invalid("port", format!("`{p}` is not a port number (1–65535)"))
        })?,
        None => 5432,
    };
    let user = lookup("user").unwrap_or_else(|| around.login.to_string());
    let sslmode = match lookup("sslmode") {
        Some(mode) => SslMode::parse(&mode)?,
        None => SslMode::Prefer,
    };
    let connect_timeout = match lookup("connect_timeout") {
        Some(t) => t
            .parse::<u64>()
            .ok()
            .map(|s| Duration::from_secs(s.max(2)))
            .ok_or_else(|| {
                Error::invalid(
                    "connect_timeout",
                    format!("`{t}` is not a number of seconds"),
                )
            })?,
        None => DEFAULT_CONNECT_TIMEOUT,
    };
    Ok(Target {
        dbname: lookup("dbname").unwrap_or_else(|| user.clone()),
        host,
        port,
        user,
        sslmode,
        sslrootcert: lookup("sslrootcert").map(PathBuf::from),
        connect_timeout,
        password: lookup("password"),
    })
}

/// The environment variable libpq reads for `key`.
fn env_var(key: &str) -> Option<&'static str> {
    Some(match key {
        "host" => "PGHOST",
        "port" => "PGPORT",
        "user" => "PGUSER",
        "dbname" => "PGDATABASE",
        "sslmode" => "PGSSLMODE",
        "sslrootcert" => "PGSSLROOTCERT",
        "connect_timeout" => "PGCONNECT_TIMEOUT",
        "password" => "PGPASSWORD",
        _ => return None,
    })
}

/// The parameters written in the URI itself.
fn parse_uri(uri: &str) -> Result<BTreeMap<String, String>> {
    let bad = |why: String| {
        Error::invalid(
            "--db",
            format!("{why}; write postgresql://[USER@][HOST][:PORT][/DATABASE][?PARAM=VALUE&…]"),
        )
    };
    // libpq takes `user@` with no host (the local socket); the URL parser wants a host there.
    let uri = with_placeholder_host(uri);
    let url = Url::parse(&uri).map_err(|e| bad(format!("not a PostgreSQL URI ({e})")))?;
    if !matches!(url.scheme(), "postgresql" | "postgres") {
        return Err(bad(format!("`{}` is not postgresql://", url.scheme())));
    }
    if url.password().is_some() {
        return Err(password_refused());
    }
    let mut params = BTreeMap::new();
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(text)
            .decode_utf8()
            .map(|t| t.into_owned())
            .map_err(|_| bad("a part is not UTF-8 once decoded".into()))
    };
    if !url.username().is_empty() {
        params.insert("user".into(), decode(url.username())?);
    }
    if let Some(host) = url.host_str().filter(|h| !h.is_empty() && *h != NO_HOST) {
        let host = decode(host.trim_start_matches('[').trim_end_matches(']'))?;
        params.insert("host".into(), host);
    }
    if let Some(port) = url.port() {
        params.insert("port".into(), port.to_string());
    }
    let path = url.path().trim_start_matches('/');
    if !path.is_empty() {
        params.insert("dbname".into(), decode(path)?);
    }
    for (key, value) in url.query_pairs() {
        if key == "password" {
            return Err(password_refused());
        }
        if !KNOWN.contains(&key.as_ref()) {
            return Err(bad(format!("`{key}` is not a parameter makegood knows")));
        }
        params.insert(key.into_owned(), value.into_owned());
    }
    Ok(params)
}

/// Stands for "no host" between `@` and the path while the URL parser reads the URI.
const NO_HOST: &str = "no-host.makegood.invalid";

fn with_placeholder_host(uri: &str) -> String {
    let Some((scheme, rest)) = uri.split_once("://") else {
        return uri.to_string();
    };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    match rest[..end].strip_suffix('@') {
        Some(user) => format!("{scheme}://{user}@{NO_HOST}{}", &rest[end..]),
        None => uri.to_string(),
    }
}

fn password_refused() -> Error {
    Error::invalid(
        "--db",
        "a password in --db can be read by every user of this machine from the process list; \
         remove it and put it in ~/.pgpass (chmod 600) or in a service file",
    )
}

/// The parameters of service `name` in the service file.
fn service_params(name: &str, file: Option<(&str, &str)>) -> Result<BTreeMap<String, String>> {
    let missing = || {
        Error::invalid(
            "service",
            format!("no service `{name}` in ~/.pg_service.conf (or PGSERVICEFILE)"),
        )
    };
    let (text, file_name) = file.ok_or_else(missing)?;
    let mut params = BTreeMap::new();
    let mut inside = false;
    let mut found = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = section == name;
            found |= inside;
            continue;
        }
        if !inside {
            continue;
        }
        let (key, value) = line.split_once('=').ok_or_else(|| {
            Error::invalid(
                "service",
                format!("{file_name}:{}: expected KEY=VALUE, found `{line}`", n + 1),
            )
        })?;
        let key = key.trim();
        // `password` is among them: a service file is the user's own, like `.pgpass`.
        if KNOWN.contains(&key) {
            params.insert(key.to_string(), value.trim().to_string());
        } else {
            return Err(Error::invalid(
                "service",
                format!(
                    "{file_name}:{}: `{key}` is not a parameter makegood knows",
                    n + 1
                ),
            ));
        }
    }
    if found { Ok(params) } else { Err(missing()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_with(uri: &str, env: &[(&str, &str)], services: Option<&str>) -> Result<Target> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let lookup = move |key: &str| env.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        resolve(
            uri,
            &Surroundings {
                env: &lookup,
                services: services.map(|s| (s, "~/.pg_service.conf")),
                login: "ana",
            },
        )
    }

    #[test]
    fn an_empty_uri_means_the_local_socket_as_the_login_user() {
        let t = resolve_with("postgresql://", &[], None).expect("target");
        assert_eq!(t.host, Host::Socket(DEFAULT_SOCKET_DIR.into()));
        assert_eq!(
            (t.port, t.user.as_str(), t.dbname.as_str()),
            (5432, "ana", "ana")
        );
        assert_eq!(t.sslmode, SslMode::Prefer);
    }

    #[test]
    fn the_uri_wins_over_the_environment_which_fills_the_rest() {
        let env = [
            ("PGHOST", "db.example"),
            ("PGPORT", "6543"),
            ("PGUSER", "till"),
        ];
        let t = resolve_with("postgres://shop@/chain", &env, None).expect("target");
        assert_eq!(t.host, Host::Tcp("db.example".into()));
        assert_eq!(
            (t.port, t.user.as_str(), t.dbname.as_str()),
            (6543, "shop", "chain")
        );
    }

    #[test]
    fn a_socket_folder_comes_as_host_parameter_or_percent_encoded() {
        let a = resolve_with("postgresql:///chain?host=/tmp/pg", &[], None).expect("a");
        let b = resolve_with("postgresql://%2Ftmp%2Fpg/chain", &[], None).expect("b");
        assert_eq!(a.host, Host::Socket("/tmp/pg".into()));
        assert_eq!(a, b);
    }

    #[test]
    fn a_password_in_the_uri_is_refused_with_advice() {
        for uri in [
            "postgresql://till:secret@db/chain",
            "postgresql://db/chain?password=secret",
        ] {
            let e = resolve_with(uri, &[], None).expect_err(uri).to_string();
            assert!(e.contains("process list") && e.contains(".pgpass"), "{e}");
            assert!(!e.contains("secret"), "{e}");
        }
    }

    #[test]
    fn sslmode_takes_libpq_modes_and_refuses_others() {
        let t = resolve_with(
            "postgresql://db/c?sslmode=verify-full&sslrootcert=/r.pem",
            &[],
            None,
        )
        .expect("target");
        assert_eq!(t.sslmode, SslMode::VerifyFull);
        assert_eq!(t.sslrootcert, Some(PathBuf::from("/r.pem")));
        let e = resolve_with("postgresql://db/c?sslmode=strict", &[], None).expect_err("bad");
        assert!(e.to_string().contains("verify-full"), "{e}");
    }

    #[test]
    fn malformed_uris_and_unknown_parameters_are_refused() {
        for uri in [
            "postgresql://db:notaport/c",
            "postgresql://db/c?colour=blue",
            "postgresql://a,b/c",
        ] {
            let e = resolve_with(uri, &[], None).expect_err(uri);
            assert!(e.to_string().starts_with("invalid"), "{uri}: {e}");
        }
    }

    #[test]
    fn a_service_fills_what_the_uri_leaves_out() {
        let file =
            "# chain\n[north]\nhost=north.example\nport=5433\ndbname=chain\n\n[south]\nhost=s\n";
        let t = resolve_with("postgresql://?service=north", &[], Some(file)).expect("target");
        assert_eq!(t.host, Host::Tcp("north.example".into()));
        assert_eq!((t.port, t.dbname.as_str()), (5433, "chain"));
        let env = [("PGSERVICE", "south")];
        let t = resolve_with("postgresql:///own", &env, Some(file)).expect("target");
        assert_eq!((t.host, t.dbname.as_str()), (Host::Tcp("s".into()), "own"));
        let e = resolve_with("postgresql://?service=east", &[], Some(file)).expect_err("east");
        assert!(e.to_string().contains("no service `east`"), "{e}");
    }

    #[test]
    fn the_display_never_shows_a_password() {
        let env = [("PGPASSWORD", "hunter2")];
        let t = resolve_with("postgresql://db/c", &env, None).expect("target");
        assert_eq!(t.password.as_deref(), Some("hunter2"));
        assert!(!t.to_string().contains("hunter2"));
    }
}
