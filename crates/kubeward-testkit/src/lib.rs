//! Test support shared by kubeward's crates. Only tests depend on this crate.
#![forbid(unsafe_code)]
#![allow(clippy::print_stderr)]

use std::path::{Path, PathBuf};

pub mod openssl;

/// The upstream conformance data folder `name` (e.g. `pss`), read in place from
/// `$KUBEWARD_CONFORMANCE_DIR`, else `../shared/conformance` beside the
/// repository.
///
/// Where it is absent, a test should skip: this prints a notice and returns
/// `None`. Under CI (`CI=true`) an absent folder is a failure instead.
pub fn conformance_dir(name: &str) -> Option<PathBuf> {
    let base = std::env::var_os("KUBEWARD_CONFORMANCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/conformance"));
    let dir = base.join(name);
    if dir.is_dir() {
        return Some(dir);
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    assert!(
        !ci,
        "conformance data {} is missing and CI=true",
        dir.display()
    );
    eprintln!(
        "notice: conformance data {} not found; skipping",
        dir.display()
    );
    None
}

/// The repository's root directory.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A TCP port on 127.0.0.1 that nothing listens on right now, for a server a
/// test starts (the port is released before the server binds it).
#[allow(clippy::unwrap_used)] // a test helper: failing loudly is the point
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
