//! Finding and reading the policy in force: `--policy PATH`, then `MAKEGOOD_POLICY`, then the
//! platform config folder (`~/.config/makegood/policy.toml`), then the built-in default.
//!
//! Reading never writes: a missing config file simply means the built-in policy.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::policy::{self, DEFAULT_POLICY, Policy};

/// Environment variable naming the policy file.
pub const POLICY_ENV: &str = "MAKEGOOD_POLICY";

/// Policy files larger than this are refused: a real policy is a few kilobytes.
const MAX_POLICY_BYTES: u64 = 1024 * 1024;

/// Where the policy in force came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicySource {
    Flag(PathBuf),
    Env(PathBuf),
    ConfigFolder(PathBuf),
    BuiltIn,
}

impl fmt::Display for PolicySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicySource::Flag(p) => write!(f, "{} (--policy)", p.display()),
            PolicySource::Env(p) => write!(f, "{} ({POLICY_ENV})", p.display()),
            PolicySource::ConfigFolder(p) => write!(f, "{} (config folder)", p.display()),
            PolicySource::BuiltIn => f.write_str("the built-in policy"),
        }
    }
}

impl PolicySource {
    /// Decides where to read from. `flag` is `--policy`, which clap also fills from the
    /// environment variable.
    pub fn locate(flag: Option<&Path>) -> PolicySource {
        if let Some(path) = flag {
            let from_env = std::env::var_os(POLICY_ENV).is_some_and(|v| Path::new(&v) == path);
            return if from_env {
                PolicySource::Env(path.to_path_buf())
            } else {
                PolicySource::Flag(path.to_path_buf())
            };
        }
        config_path()
            .filter(|p| p.is_file())
            .map_or(PolicySource::BuiltIn, PolicySource::ConfigFolder)
    }

    pub fn path(&self) -> Option<&Path> {
        match self {
            PolicySource::Flag(p) | PolicySource::Env(p) | PolicySource::ConfigFolder(p) => Some(p),
            PolicySource::BuiltIn => None,
        }
    }

    /// The policy text.
    pub fn read(&self) -> Result<String> {
        match self.path() {
            None => Ok(DEFAULT_POLICY.to_string()),
            Some(path) => read_policy_file(path),
        }
    }

    /// Reads and validates the policy.
    pub fn load(&self) -> Result<Policy> {
        let text = self.read()?;
        let origin = self.path().map_or_else(
            || policy::DEFAULT_ORIGIN.to_string(),
            |p| p.display().to_string(),
        );
        policy::parse(&text, &origin).map_err(|e| Error::Policy(e.to_string()))
    }
}

/// `~/.config/makegood/policy.toml` on Linux.
pub fn config_path() -> Option<PathBuf> {
    crate::location::config_dir().map(|dir| dir.join("policy.toml"))
}

fn read_policy_file(path: &Path) -> Result<String> {
    let context = || format!("cannot read policy `{}`", path.display());
    // Opening a named pipe would wait for a writer forever: only a regular file is read.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(Error::Policy(format!(
            "{}: not a regular file (a folder, pipe or device); give the policy file itself",
            path.display()
        )));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(context(), e))?;
    let mut bytes = Vec::new();
    file.take(MAX_POLICY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(context(), e))?;
    if bytes.len() as u64 > MAX_POLICY_BYTES {
        return Err(Error::Policy(format!(
            "{}: the file is larger than 1 MiB; a policy is a few kilobytes of TOML",
            path.display()
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        Error::Policy(format!(
            "{}:{line}:{column}: the file is not valid UTF-8; save it as UTF-8 text",
            path.display()
        ))
    })
}
