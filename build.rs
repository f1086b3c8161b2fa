//! Sets `MAKEGOOD_VERSION` for `makegood --version`: the crate version and, inside a git
//! checkout, the commit it was built from (a crates.io tarball has no commit to name).
//!
//! Only files that change when the commit changes are watched: `HEAD`, the branch it points to
//! and `packed-refs`. Never `.git/index`: any `git status` (ours included) rewrites it, and
//! watching it made a fresh clone compile twice. So no "-dirty" marker either: it could only be
//! known by reading the index.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let version = env!("CARGO_PKG_VERSION");
    let Some(commit) = git(&["rev-parse", "--short", "HEAD"]) else {
        println!("cargo:rustc-env=MAKEGOOD_VERSION={version}");
        return;
    };
    let mut watched = vec![git(&["rev-parse", "--git-path", "HEAD"])];
    watched.push(git(&["rev-parse", "--git-path", "packed-refs"]));
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(git(&["rev-parse", "--git-path", &branch]));
    }
    // A missing file would count as changed on every build; the loose branch file goes missing
    // after `git pack-refs`, and then `packed-refs` is watched instead.
    for path in watched.into_iter().flatten() {
        if !std::path::Path::new(&path).exists() {
            continue;
        }
        println!("cargo:rerun-if-changed={path}");
    }
    println!("cargo:rustc-env=MAKEGOOD_VERSION={version} ({commit})");
}
