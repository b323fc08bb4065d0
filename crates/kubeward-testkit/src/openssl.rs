//! Certificates made by the real `openssl` command, for tests that serve TLS
//! on 127.0.0.1 with a real server (openssl `s_server`, docker-registry …).
#![allow(clippy::unwrap_used, clippy::panic)] // test support: a failure is the test's failure

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs a command that must succeed, with its stderr in the failure message.
pub fn run_ok(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A P-256 CA and a server certificate for IP 127.0.0.1 it signed, written
/// into `dir`; returns `(ca.pem, tls.pem, tls.key)`.
pub fn ca_and_server_cert(dir: &Path, ca_name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let p = |n: &str| dir.join(n);
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    run_ok(
        Command::new("openssl")
            .args(["req", "-x509"])
            .args(ec)
            .args(["-days", "2", "-subj", &format!("/CN={ca_name}")])
            .arg("-keyout")
            .arg(p("ca.key"))
            .arg("-out")
            .arg(p("ca.pem")),
    );
    run_ok(
        Command::new("openssl")
            .arg("req")
            .args(ec)
            .args(["-subj", "/CN=127.0.0.1"])
            .arg("-keyout")
            .arg(p("tls.key"))
            .arg("-out")
            .arg(p("tls.csr")),
    );
    std::fs::write(
        p("ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    run_ok(
        Command::new("openssl")
            .args(["x509", "-req", "-days", "2", "-CAcreateserial"])
            .arg("-in")
            .arg(p("tls.csr"))
            .arg("-CA")
            .arg(p("ca.pem"))
            .arg("-CAkey")
            .arg(p("ca.key"))
            .arg("-extfile")
            .arg(p("ext"))
            .arg("-out")
            .arg(p("tls.pem")),
    );
    (p("ca.pem"), p("tls.pem"), p("tls.key"))
}
