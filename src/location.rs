//! Where makegood keeps its files, and whether a place is safe for a database.
//!
//! makegood's own folders come from one lookup, [`folders`]: the data folder holds the database
//! (and the demo's), the config folder the policy.
//!
//! WAL needs shared memory and POSIX locks that network file systems and sync clients do not
//! honour, so a database there can be corrupted by two writers or by a sync of a half-written
//! file. Detection is by the mount's file-system type (`/proc/mounts` on Linux) and by
//! well-known synced-folder names anywhere in the path.

use std::path::{Component, Path, PathBuf};

use directories::ProjectDirs;

/// makegood's folders on this platform (`~/.local/share/makegood` and `~/.config/makegood` on
/// Linux); `None` without a home folder.
fn folders() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "makegood")
}

/// The folder the database is kept in by default.
pub fn data_dir() -> Option<PathBuf> {
    folders().map(|dirs| dirs.data_dir().to_path_buf())
}

/// The folder the policy is looked for in.
pub fn config_dir() -> Option<PathBuf> {
    folders().map(|dirs| dirs.config_dir().to_path_buf())
}

/// Folder names that sync clients create.
const SYNCED_FOLDERS: &[&str] = &[
    "dropbox",
    "onedrive",
    "google drive",
    "googledrive",
    "my drive",
    "icloud drive",
    "icloudrive",
    "mobile documents",
    "nextcloud",
    "owncloud",
    "pcloud drive",
    "box sync",
];

/// Why `path` is a risky place for a WAL database, if it is.
pub fn risk(path: &Path) -> Option<String> {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    if let Some(folder) = synced_folder(&path) {
        return Some(format!(
            "the database is in a synced folder (`{folder}`); WAL databases are unsafe there: \
             move it to a local folder and back it up with `makegood backup`"
        ));
    }
    let mounts = std::fs::read_to_string("/proc/mounts").ok()?;
    let fs_type = fs_type_of(&path, &mounts)?;
    network_fs(&fs_type).then(|| {
        format!(
            "the database is on a network file system (`{fs_type}`); WAL databases are unsafe \
             there: move it to a local disk"
        )
    })
}

/// The first path component naming a sync client's folder.
pub fn synced_folder(path: &Path) -> Option<String> {
    path.components().find_map(|c| match c {
        Component::Normal(name) => {
            let name = name.to_string_lossy();
            let lower = name.to_lowercase();
            SYNCED_FOLDERS
                .iter()
                .any(|s| lower == *s || lower.starts_with(&format!("{s} -")))
                .then(|| name.into_owned())
        }
        _ => None,
    })
}

/// The type of the file system mounted deepest above `path`, from `/proc/mounts` text.
pub fn fs_type_of(path: &Path, mounts: &str) -> Option<String> {
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let _device = fields.next()?;
            let point = unescape(fields.next()?);
            let fs_type = fields.next()?;
            Path::new(&point)
                .starts_with("/")
                .then_some(())
                .filter(|()| path.starts_with(&point))
                .map(|()| (point.len(), fs_type.to_string()))
        })
        // Later mounts over the same point hide earlier ones: `max_by_key` keeps the last max.
        .max_by_key(|(length, _)| *length)
        .map(|(_, fs_type)| fs_type)
}

/// File systems where SQLite's locking and shared memory cannot be trusted.
pub fn network_fs(fs_type: &str) -> bool {
    let local_fuse = ["fuse.fuse-overlayfs", "fuse.lxcfs", "fuse.portal"];
    matches!(
        fs_type,
        "nfs"
            | "nfs4"
            | "cifs"
            | "smb"
            | "smb2"
            | "smb3"
            | "smbfs"
            | "afs"
            | "ncpfs"
            | "9p"
            | "ceph"
            | "glusterfs"
            | "davfs"
            | "sshfs"
    ) || (fs_type.starts_with("fuse.") && !local_fuse.contains(&fs_type))
}

/// `/proc/mounts` writes spaces and tabs in paths as octal escapes.
fn unescape(field: &str) -> String {
    field
        .replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\134", "\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOUNTS: &str = "/dev/sda1 / ext4 rw 0 0\n\
        server:/shop /mnt/shop nfs4 rw 0 0\n\
        me@host:/x /home/ann/remote\\040files fuse.sshfs rw 0 0\n\
        remote: /home/ann/gdrive fuse.rclone rw 0 0\n\
        //nas/share /mnt/nas cifs rw 0 0\n";

    #[test]
    fn the_deepest_mount_decides() {
        let of = |p: &str| fs_type_of(Path::new(p), MOUNTS);
        assert_eq!(of("/home/ann/makegood.db").as_deref(), Some("ext4"));
        assert_eq!(of("/mnt/shop/makegood.db").as_deref(), Some("nfs4"));
        assert_eq!(of("/mnt/shopping/x.db").as_deref(), Some("ext4"));
        assert_eq!(
            of("/home/ann/remote files/x.db").as_deref(),
            Some("fuse.sshfs")
        );
        assert_eq!(of("/home/ann/gdrive/x.db").as_deref(), Some("fuse.rclone"));
        assert_eq!(of("/mnt/nas/x.db").as_deref(), Some("cifs"));
    }

    #[test]
    fn network_and_fuse_file_systems_are_risky() {
        for risky in ["nfs", "nfs4", "cifs", "smb3", "fuse.sshfs", "fuse.rclone"] {
            assert!(network_fs(risky), "{risky}");
        }
        for local in [
            "ext4",
            "xfs",
            "btrfs",
            "tmpfs",
            "overlay",
            "fuse.fuse-overlayfs",
        ] {
            assert!(!network_fs(local), "{local}");
        }
    }

    #[test]
    fn synced_folders_are_found_by_name() {
        let found = |p: &str| synced_folder(Path::new(p));
        assert_eq!(
            found("/home/ann/Dropbox/shop/makegood.db").as_deref(),
            Some("Dropbox")
        );
        assert_eq!(
            found("/home/ann/OneDrive - Flowers Ltd/m.db").as_deref(),
            Some("OneDrive - Flowers Ltd")
        );
        assert_eq!(
            found("/Users/ann/Google Drive/m.db").as_deref(),
            Some("Google Drive")
        );
        assert_eq!(
            found("/Users/ann/Library/Mobile Documents/com~apple~CloudDocs/m.db").as_deref(),
            Some("Mobile Documents")
        );
        assert_eq!(found("/home/ann/shop/makegood.db"), None);
        assert_eq!(found("/home/ann/dropboxes/m.db"), None);
    }
}
