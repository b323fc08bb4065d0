//! What `pki init`/`pki issue` refuse, and how they write files: every
//! refusal is a usage or input error (exit 2 in the CLI), never a panic.
// Helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;

use kubeward_pki::PkiError;
use kubeward_pki::inspect::with_certificate;
use kubeward_pki::issue::{Request, Usage, init_ca, issue};
use kubeward_pki::kubeconfig::kubeconfig;

fn request(name: &str, cn: &str, usage: Usage, sans: &[&str], days: u32) -> Request {
    Request {
        name: name.into(),
        common_name: cn.into(),
        organizations: Vec::new(),
        usage,
        sans: sans.iter().map(|s| (*s).to_owned()).collect(),
        days,
    }
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// The message of a usage error.
fn usage(result: Result<impl std::fmt::Debug, PkiError>) -> String {
    match result {
        Err(PkiError::Usage(m)) => m,
        other => panic!("expected a usage error, got {other:?}"),
    }
}

#[test]
fn force_rewrites_keys_with_mode_600_and_replaces_links() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    init_ca(d, "kubernetes", 3650, false).unwrap();
    let leaf = request("admin", "x", Usage::Client, &[], 365);
    let w = issue(d, &leaf, false).unwrap();
    fs::set_permissions(&w.key, fs::Permissions::from_mode(0o644)).unwrap();
    fs::set_permissions(&w.certificate, fs::Permissions::from_mode(0o666)).unwrap();
    let old = fs::read_to_string(&w.key).unwrap();
    issue(d, &leaf, true).unwrap();
    assert_eq!(mode(&w.key), 0o600);
    assert_eq!(mode(&w.certificate), 0o644);
    assert_ne!(fs::read_to_string(&w.key).unwrap(), old);
    fs::set_permissions(d.join("ca.key"), fs::Permissions::from_mode(0o640)).unwrap();
    init_ca(d, "kubernetes", 3650, true).unwrap();
    assert_eq!(mode(&d.join("ca.key")), 0o600);
    // A link at the key's path is replaced, never written through.
    let target = d.join("elsewhere");
    fs::write(&target, "untouched").unwrap();
    symlink(&target, d.join("linked.key")).unwrap();
    let linked = request("linked", "x", Usage::Client, &[], 365);
    assert!(usage(issue(d, &linked, false)).contains("already exists (use --force"));
    assert!(!d.join("linked.crt").exists(), "nothing written on refusal");
    issue(d, &linked, true).unwrap();
    assert_eq!(fs::read_to_string(&target).unwrap(), "untouched");
    assert!(
        !fs::symlink_metadata(d.join("linked.key"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(mode(&d.join("linked.key")), 0o600);
    // No temporary file is left behind.
    let names: Vec<String> = fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with(".kubeward-")),
        "{names:?}"
    );
}

#[test]
fn days_out_of_range_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for days in [3_000_000, u32::MAX] {
        assert!(usage(init_ca(&d.join("big"), "k", days, false)).contains("year 9999"));
    }
    init_ca(d, "kubernetes", 3650, false).unwrap();
    for days in [3_000_000, u32::MAX] {
        let m = usage(issue(
            d,
            &request("big", "x", Usage::Client, &[], days),
            false,
        ));
        assert!(m.contains("year 9999"), "{m}");
    }
    assert_eq!(
        usage(issue(
            d,
            &request("zero", "x", Usage::Client, &[], 0),
            false
        )),
        "--days must be at least 1"
    );
    assert_eq!(
        usage(init_ca(&d.join("zero"), "k", 0, false)),
        "--days must be at least 1"
    );
    // A leaf never outlives its CA: it is cut to the CA's end, with a notice.
    let not_after = |p: &Path| {
        let pem = fs::read(p).unwrap();
        with_certificate(&pem, |c| c.validity().not_after.timestamp()).unwrap()
    };
    let long = issue(d, &request("long", "x", Usage::Client, &[], 100_000), false).unwrap();
    let notice = long.notice.unwrap();
    assert!(
        notice.starts_with("--days 100000 would outlive the CA"),
        "{notice}"
    );
    assert_eq!(not_after(&long.certificate), not_after(&d.join("ca.crt")));
    // The same days as the CA, issued a moment later: cut by that moment.
    let same = issue(d, &request("same", "x", Usage::Client, &[], 3650), false).unwrap();
    assert!(same.notice.is_some());
    assert_eq!(not_after(&same.certificate), not_after(&d.join("ca.crt")));
    let fits = issue(d, &request("fits", "x", Usage::Client, &[], 3649), false).unwrap();
    assert_eq!(fits.notice, None);
    assert!(not_after(&fits.certificate) < not_after(&d.join("ca.crt")));
}

#[test]
fn names_and_sans_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    init_ca(d, "kubernetes", 3650, false).unwrap();
    for bad in [
        "bad san!",
        "300.1.1.1",
        "fe80::1%eth0",
        "a..b",
        "-x.example",
        "x-.example",
        "*.*.example",
        "",
    ] {
        let m = usage(issue(
            d,
            &request("s", "srv", Usage::Server, &[bad], 30),
            false,
        ));
        assert!(m.starts_with(&format!("invalid SAN `{bad}`")), "{m}");
    }
    let long_label = "a".repeat(64);
    assert!(
        issue(
            d,
            &request("s", "srv", Usage::Server, &[&long_label], 30),
            false
        )
        .is_err()
    );
    issue(
        d,
        &request(
            "s",
            "srv",
            Usage::Server,
            &[
                "*.apps.example",
                "node-1.example",
                "10.0.0.1",
                "fe80::1",
                "localhost",
            ],
            30,
        ),
        false,
    )
    .unwrap();
    for usage_kind in [Usage::Client, Usage::Both] {
        assert_eq!(
            usage(issue(d, &request("nocn", " ", usage_kind, &[], 30), false)),
            "--cn must not be empty for a client certificate: it is the user name"
        );
    }
}

#[test]
fn the_ca_must_match_its_key_be_a_ca_and_be_valid() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    init_ca(&a, "kubernetes", 3650, false).unwrap();
    init_ca(&b, "kubernetes", 3650, false).unwrap();
    issue(&a, &request("leaf", "x", Usage::Client, &[], 30), false).unwrap();
    let leaf = request("new", "x", Usage::Client, &[], 30);
    let invalid = |d: &Path| match issue(d, &leaf, false) {
        Err(PkiError::Invalid { message, .. }) => message,
        other => panic!("expected an invalid CA, got {other:?}"),
    };
    // Another CA's key.
    let mixed = dir.path().join("mixed");
    fs::create_dir(&mixed).unwrap();
    fs::copy(a.join("ca.crt"), mixed.join("ca.crt")).unwrap();
    fs::copy(b.join("ca.key"), mixed.join("ca.key")).unwrap();
    assert_eq!(invalid(&mixed), "ca.key is not the key of this certificate");
    // A leaf in the CA's place.
    fs::copy(a.join("leaf.crt"), mixed.join("ca.crt")).unwrap();
    fs::copy(a.join("leaf.key"), mixed.join("ca.key")).unwrap();
    assert!(invalid(&mixed).starts_with("not a CA certificate"));
    assert!(!mixed.join("new.key").exists());
}

#[test]
fn a_kubeconfig_needs_a_client_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    init_ca(d, "kubernetes", 3650, false).unwrap();
    issue(
        d,
        &request(
            "apiserver",
            "kube-apiserver",
            Usage::Server,
            &["kubernetes"],
            30,
        ),
        false,
    )
    .unwrap();
    issue(d, &request("admin", "admin", Usage::Client, &[], 30), false).unwrap();
    assert_eq!(
        usage(kubeconfig(d, "apiserver", "https://127.0.0.1:6443", "k")),
        "apiserver.crt is not a client certificate (its extended key usage lacks clientAuth)"
    );
    let text = kubeconfig(d, "admin", "https://127.0.0.1:6443", "k").unwrap();
    assert!(text.contains("user: \"admin\""));
}
