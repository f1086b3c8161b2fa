//! `~/.pgpass` (or `PGPASSFILE`), read as libpq reads it: `host:port:database:user:password`
//! lines, `*` matching anything, `\:` and `\\` escaped, the first matching line winning. A file
//! that group or others may read is ignored with a warning, as libpq does: the password would
//! be no secret.

use std::path::Path;

use super::target::{Host, Target};

/// The password for `target` in the pass file's `text`, if a line matches.
pub fn lookup(text: &str, target: &Target) -> Option<String> {
    let host = match &target.host {
        // libpq matches socket connections against `localhost`.
        Host::Socket(_) => "localhost".to_string(),
        Host::Tcp(name) => name.clone(),
    };
    let port = target.port.to_string();
    let wanted = [host.as_str(), &port, &target.dbname, &target.user];
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter_map(fields)
        .find(|f| {
            f[..4]
                .iter()
                .zip(wanted)
                .all(|(field, want)| field == "*" || field == want)
        })
        .map(|f| f[4].clone())
}

/// A line's five fields, unescaped; `None` for a line with fewer.
fn fields(line: &str) -> Option<[String; 5]> {
    let mut fields: Vec<String> = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields.last_mut()?.push(chars.next().unwrap_or('\\')),
            // The password is the rest of the line, colons and all.
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut()?.push(c),
        }
    }
    fields.try_into().ok()
}

/// Why a pass file must be ignored, if it must: anyone but the owner may read it.
#[cfg(unix)]
pub fn too_open(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o077 != 0).then(|| {
        format!(
            "makegood: warning: {} is ignored: others may read it (mode {:o}); run `chmod 600 {}`",
            path.display(),
            mode & 0o777,
            path.display()
        )
    })
}

#[cfg(not(unix))]
pub fn too_open(_path: &Path) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::time::Duration;

    use super::*;
    use crate::store::postgres::target::SslMode;

    fn target(host: Host, db: &str, user: &str) -> Target {
        Target {
            host,
            port: 5432,
            user: user.into(),
            dbname: db.into(),
            sslmode: SslMode::Prefer,
            sslrootcert: None,
            connect_timeout: Duration::from_secs(5),
            password: None,
        }
    }

    #[test]
    fn the_first_matching_line_wins_with_wildcards_and_escapes() {
        let text = "# chain\n\
                    other:5432:*:*:nope\n\
                    db.example:5432:chain:till:pa\\:ss:wo\\\\rd\n\
                    *:*:*:till:fallback\n";
        let t = target(Host::Tcp("db.example".into()), "chain", "till");
        assert_eq!(lookup(text, &t).as_deref(), Some("pa:ss:wo\\rd"));
        let t = target(Host::Tcp("elsewhere".into()), "chain", "till");
        assert_eq!(lookup(text, &t).as_deref(), Some("fallback"));
        let t = target(Host::Tcp("elsewhere".into()), "chain", "ana");
        assert_eq!(lookup(text, &t), None);
    }

    #[test]
    fn a_socket_connection_matches_localhost() {
        let t = target(Host::Socket(PathBuf::from("/tmp")), "chain", "till");
        assert_eq!(
            lookup("localhost:5432:chain:till:s3", &t).as_deref(),
            Some("s3")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_may_read_is_ignored_with_the_fix() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("pgpass");
        std::fs::write(&path, "*:*:*:*:x\n").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let warning = too_open(&path).expect("too open");
        assert!(warning.contains("chmod 600"), "{warning}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        assert_eq!(too_open(&path), None);
    }
}
