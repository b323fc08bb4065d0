//! `kubeward etcd check` against a real etcd (Debian's `etcd-server`)
//! started on 127.0.0.1 with TLS and client-certificate authentication, in a
//! temp data dir, holding plain and encrypted Secrets.
// Helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use kubeward_pki::issue::{Request, Usage, init_ca, issue};

struct Etcd {
    child: Child,
    url: String,
}

impl Drop for Etcd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn certs(dir: &Path) {
    init_ca(dir, "etcd-ca", 30, false).unwrap();
    let request = |name: &str, usage| Request {
        name: name.into(),
        common_name: name.into(),
        organizations: vec![],
        usage,
        sans: vec!["127.0.0.1".into(), "localhost".into()],
        days: 30,
    };
    issue(dir, &request("server", Usage::Both), false).unwrap();
    issue(dir, &request("client", Usage::Client), false).unwrap();
}

fn etcdctl(dir: &Path, url: &str, args: &[&str]) -> Output {
    Command::new("etcdctl")
        .env("ETCDCTL_API", "3")
        .arg(format!("--endpoints={url}"))
        .arg(format!("--cacert={}", dir.join("ca.crt").display()))
        .arg(format!("--cert={}", dir.join("client.crt").display()))
        .arg(format!("--key={}", dir.join("client.key").display()))
        .args(args)
        .output()
        .expect("etcdctl is installed (scripts/test installs etcd-client)")
}

fn start(dir: &Path) -> Etcd {
    start_serving(dir, true)
}

/// An etcd serving its client port over TLS with client-certificate
/// authentication, or, without `tls`, over plain HTTP.
fn start_serving(dir: &Path, tls: bool) -> Etcd {
    let (client, peer) = (kubeward_testkit::free_port(), kubeward_testkit::free_port());
    let scheme = if tls { "https" } else { "http" };
    let url = format!("{scheme}://127.0.0.1:{client}");
    let peer_url = format!("http://127.0.0.1:{peer}");
    let p = |f: &str| dir.join(f).display().to_string();
    let tls_args = [
        "--cert-file",
        &p("server.crt"),
        "--key-file",
        &p("server.key"),
        "--trusted-ca-file",
        &p("ca.crt"),
        "--client-cert-auth",
    ];
    let child = Command::new("etcd")
        .args([
            "--name",
            "kubeward-test",
            "--data-dir",
            &p(&format!("data-{scheme}")),
        ])
        .args([
            "--listen-client-urls",
            &url,
            "--advertise-client-urls",
            &url,
        ])
        .args([
            "--listen-peer-urls",
            &peer_url,
            "--initial-advertise-peer-urls",
            &peer_url,
        ])
        .args(["--initial-cluster", &format!("kubeward-test={peer_url}")])
        .args(if tls { &tls_args[..] } else { &[] })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("etcd is installed (scripts/test installs etcd-server)");
    let etcd = Etcd { child, url };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = etcdctl(dir, &etcd.url, &["endpoint", "health"]);
        if out.status.success() {
            return etcd;
        }
        assert!(
            Instant::now() < deadline,
            "etcd did not start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn put(dir: &Path, url: &str, key: &str, value: &str) {
    let out = etcdctl(dir, url, &["put", key, value]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn kubeward(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn plain_and_encrypted_secrets_in_a_real_etcd() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    certs(d);
    let etcd = start(d);
    const PASSWORD: &str = "aHVudGVyMi1kby1ub3QtcHJpbnQ=";
    put(
        d,
        &etcd.url,
        "/registry/secrets/default/db",
        &format!(
            "{{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{{\"name\":\"db\"}},\"data\":{{\"password\":\"{PASSWORD}\"}}}}"
        ),
    );
    put(
        d,
        &etcd.url,
        "/registry/secrets/kube-system/token",
        "k8s:enc:aescbc:v1:key1:Zm9vYmFyYmF6cXV4",
    );
    put(
        d,
        &etcd.url,
        "/registry/secrets/prod/api",
        "k8s:enc:kms:v2:vault:c2VhbGVk",
    );
    put(
        d,
        &etcd.url,
        "/registry/configmaps/default/settings",
        "{\"kind\":\"ConfigMap\"}",
    );
    // Enough Secrets to need several pages of the range API.
    for i in 0..120 {
        put(
            d,
            &etcd.url,
            &format!("/registry/secrets/bulk/s{i:03}"),
            "k8s:enc:secretbox:v1:key2:eHl6",
        );
    }
    let p = |f: &str| d.join(f).display().to_string();
    let (ca, cert, key) = (p("ca.crt"), p("client.crt"), p("client.key"));
    let tls = [
        "--cacert",
        ca.as_str(),
        "--cert",
        cert.as_str(),
        "--key",
        key.as_str(),
    ];
    let mut args = vec![
        "etcd",
        "check",
        "--endpoints",
        &etcd.url,
        "--format",
        "json",
    ];
    args.extend(tls);
    let out = kubeward(&args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        !stdout.contains(PASSWORD) && !stdout.contains("Zm9vYmFy"),
        "values are never printed"
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let secrets = report["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 123);
    let find = |key: &str| secrets.iter().find(|s| s["key"] == key).unwrap().clone();
    assert_eq!(
        find("/registry/secrets/default/db"),
        serde_json::json!({"key": "/registry/secrets/default/db", "encrypted": false, "provider": null})
    );
    assert_eq!(
        find("/registry/secrets/kube-system/token")["provider"],
        "aescbc"
    );
    assert_eq!(find("/registry/secrets/prod/api")["provider"], "kms");
    assert_eq!(find("/registry/secrets/bulk/s119")["provider"], "secretbox");
    assert!(
        secrets
            .iter()
            .all(|s| s["key"].as_str().unwrap().starts_with("/registry/secrets/"))
    );

    // Text output says the same, without values.
    let mut text_args = vec!["etcd", "check", "--endpoints", &etcd.url];
    text_args.extend(tls);
    let out = kubeward(&text_args);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("PLAIN TEXT") && text.contains("122 encrypted, 1 in plain text"),
        "{text}"
    );
    assert!(!text.contains(PASSWORD));

    // etcd demands a client certificate: without one, an error (exit 2).
    let out = kubeward(&["etcd", "check", "--endpoints", &etcd.url, "--cacert", &ca]);
    assert_eq!(out.status.code(), Some(2));
    // An unknown CA is refused too.
    let out = kubeward(&[
        "etcd",
        "check",
        "--endpoints",
        &etcd.url,
        "--cert",
        &cert,
        "--key",
        &key,
    ]);
    assert_eq!(out.status.code(), Some(2));

    // Once the plain Secret is rewritten encrypted, the check passes.
    put(
        d,
        &etcd.url,
        "/registry/secrets/default/db",
        "k8s:enc:aescbc:v1:key1:bmV3",
    );
    let out = kubeward(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Text output keeps one line per key (a newline in a key is escaped)
    // and names a provider the API server does not have as unknown.
    put(
        d,
        &etcd.url,
        "/registry/secrets/ns/weird\nname",
        "k8s:enc:aescbc:v1:key1:eHl6",
    );
    put(
        d,
        &etcd.url,
        "/registry/secrets/ns/odd",
        "k8s:enc:foo:v1:eHl6",
    );
    let text = String::from_utf8(kubeward(&text_args).stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l == "encrypted (aescbc   ) /registry/secrets/ns/weird\\nname"),
        "{text}"
    );
    // A provider no API server has says nothing of encryption: it is not
    // counted as encrypted, and fails the check.
    assert!(
        text.lines().any(
            |l| l == "UNKNOWN PROVIDER foo (not counted as encrypted) /registry/secrets/ns/odd"
        ),
        "{text}"
    );
    assert!(
        text.contains("125 Secrets in etcd at")
            && text.contains(": 124 encrypted, 0 in plain text, 1 with an unknown provider"),
        "{text}"
    );
    let out = kubeward(&args);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["totals"],
        serde_json::json!({"secrets": 125, "encrypted": 124, "plain_text": 0, "unknown_provider": 1})
    );
    assert_eq!(report["endpoint"], etcd.url.as_str());
    // A scheme other than http(s) is named as such.
    let out = kubeward(&[
        "etcd",
        "check",
        "--endpoints",
        "ftp://127.0.0.1:1",
        "--cacert",
        &ca,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("unsupported scheme `ftp`"), "{stderr}");
}

/// A request that cannot get through says why in one line naming what to
/// change: TLS to a plain-HTTP etcd and plain HTTP to a TLS one, no client
/// certificate where etcd asks for one, a client key that is not the
/// certificate's (which made the HTTP client panic), an unknown CA.
#[test]
fn mismatched_transport_is_one_actionable_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    certs(d);
    let tls = start(d);
    let plain = start_serving(d, false);
    let p = |f: &str| d.join(f).display().to_string();
    let (ca, cert, key, server_key) = (
        p("ca.crt"),
        p("client.crt"),
        p("client.key"),
        p("server.key"),
    );
    let https_to_plain = plain.url.replace("http://", "https://");
    let http_to_tls = tls.url.replace("https://", "http://");
    let cases: [(Vec<&str>, &str); 5] = [
        (
            vec!["--endpoints", &https_to_plain, "--cacert", &ca],
            "does not speak TLS: if etcd serves plain HTTP there (no --cert-file), write it as http://",
        ),
        (
            vec!["--endpoints", &http_to_tls],
            "etcd serves TLS on this port: write the endpoint as https://",
        ),
        (
            vec!["--endpoints", &tls.url, "--cacert", &ca],
            "it asks for a client certificate; give --cert and --key",
        ),
        (
            vec![
                "--endpoints",
                &tls.url,
                "--cacert",
                &ca,
                "--cert",
                &cert,
                "--key",
                &server_key,
            ],
            "key does not match certificate",
        ),
        (
            vec!["--endpoints", &tls.url, "--cert", &cert, "--key", &key],
            "etcd's certificate is not signed by a CA this machine trusts: give etcd's CA with --cacert",
        ),
    ];
    for (extra, wanted) in cases {
        let mut args = vec!["etcd", "check"];
        args.extend(&extra);
        let out = kubeward(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{extra:?}: {stderr}");
        assert!(stderr.contains(wanted), "{extra:?}: {stderr}");
    }
    // The plain etcd itself is read over http://.
    let out = kubeward(&["etcd", "check", "--endpoints", &plain.url]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
