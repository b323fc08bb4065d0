//! `kubeward db` and the vulnerability step of `kubeward image scan` from
//! the outside: what a user sees without a database or without a network.
// Helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};

use kubeward_image::synth::{Compression, LayerBuilder, write_oci_layout};

fn kubeward(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .args(args)
        .output()
        .unwrap()
}

/// Without a database, `image scan` still lists the packages and runs the
/// checks, with one notice that vulnerabilities were not checked, and the
/// exit code is what the checks make it.
#[test]
fn image_scan_without_a_database_still_scans() {
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("layout");
    let mut layer = LayerBuilder::new();
    layer
        .file("etc/os-release", 0o644, b"ID=debian\nVERSION_ID=12\n")
        .file(
            "var/lib/dpkg/status",
            0o644,
            b"Package: openssl\nStatus: install ok installed\nVersion: 3.0.11-1~deb12u1\n",
        );
    write_oci_layout(
        &layout,
        &[layer.finish()],
        Compression::Gzip,
        Some("1000"),
        &serde_json::json!({}),
    )
    .unwrap();
    let db = dir.path().join("no-such.redb");
    let scan = |extra: &[&str]| {
        let mut args = vec![
            "image",
            "scan",
            "--input",
            layout.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "-f",
            "json",
        ];
        args.extend(extra);
        kubeward(&args)
    };
    let out = scan(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let baseline = scan(&["--skip-vulnerabilities"]);
    assert_eq!(out.status.code(), baseline.status.code(), "{stderr}");
    assert_ne!(out.status.code(), Some(2), "{stderr}");
    let notices: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("vulnerabilities not checked"))
        .collect();
    assert_eq!(notices.len(), 1, "{stderr}");
    assert!(notices[0].contains("no-such.redb"), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = report.to_string();
    assert!(
        text.contains("openssl") && text.contains("3.0.11-1~deb12u1"),
        "{text}"
    );
}

/// Offline, `db update` says in one line that the mirror cannot be reached
/// and names the ways on: `--mirror`, `db import`, `--skip-vulnerabilities`.
#[test]
fn db_update_offline_is_one_line_with_the_ways_on() {
    let dir = tempfile::tempdir().unwrap();
    let mirror = format!("http://127.0.0.1:{}", kubeward_testkit::free_port());
    let db = dir.path().join("v.redb");
    let out = kubeward(&[
        "db",
        "update",
        "--mirror",
        &mirror,
        "--ecosystem",
        "Debian",
        "--quiet",
        "--db",
        db.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    for wanted in ["--mirror", "kubeward db import", "--skip-vulnerabilities"] {
        assert!(stderr.contains(wanted), "{wanted}: {stderr}");
    }
}
