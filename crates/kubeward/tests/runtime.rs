//! The runtime commands end to end: `rules check`, `watch` (audit log and
//! the HTTPS audit webhook with a real client, alerts to a real local HTTP
//! server), `trace` and `seccomp`. Everything stays on 127.0.0.1.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn kubeward(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn rules_dir() -> Option<PathBuf> {
    kubeward_testkit::conformance_dir("falco").map(|d| d.join("rules"))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// An audit event line: `user` creates a privileged pod in `namespace`.
fn privileged_pod_event(namespace: &str) -> Value {
    json!({
        "kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "Request",
        "auditID": "0b7e2c4a-77aa-4e0e-9a52-3c1d00000042", "stage": "ResponseComplete",
        "requestURI": format!("/api/v1/namespaces/{namespace}/pods"), "verb": "create",
        "user": {"username": "kubernetes-admin"}, "objectRef": {"resource": "pods", "namespace": namespace, "name": "miner"},
        "responseStatus": {"code": 201},
        "requestObject": {"spec": {"containers": [{"name": "m", "image": "quay.example/miner:1", "securityContext": {"privileged": true}}]}},
        "stageTimestamp": "2026-11-21T10:00:00.000000Z",
        "annotations": {"authorization.k8s.io/decision": "allow", "authorization.k8s.io/reason": ""}
    })
}

#[test]
fn rules_check_counts_and_reports_errors() {
    let Some(rules) = rules_dir() else { return };
    let out = kubeward(&[
        "rules",
        "check",
        "--format",
        "json",
        s(&rules.join("falco_rules.yaml")),
        s(&rules.join("k8s_audit_rules.yaml")),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["rules"], 25 + 48);
    assert_eq!(report["macros"], 87 + 45);
    assert_eq!(report["lists"], 49 + 18);
    assert_eq!(report["errors"], json!([]));
    assert!(report["unsupported_fields"]["Read sensitive file untrusted"].is_array());

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "- rule: R\n  desc: d\n  condition: evt.type = open and\n  output: o\n  priority: info\n",
    )
    .unwrap();
    let out = kubeward(&["rules", "check", s(&bad)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(&format!("{}:3: rule `R`", bad.display())),
        "{}",
        text(&out.stderr)
    );
    // Warnings are told in text mode too: a misspelt key loads, but not
    // unseen.
    let typo = dir.path().join("typo.yaml");
    std::fs::write(
        &typo,
        "- rule: R\n  desc: d\n  condition: ka.verb=create\n  output: o\n  priority: INFO\n  source: k8s_audit\n  exeptions: []\n",
    )
    .unwrap();
    let out = kubeward(&["rules", "check", s(&typo)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains(&format!("{}:7: unknown key `exeptions`", typo.display())),
        "{}",
        text(&out.stderr)
    );
    // A directory stands for its files in name order, as in Falco: the
    // second file appends to the first's rule.
    let folder = dir.path().join("rules.d");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(
        folder.join("a.yaml"),
        "- rule: R\n  desc: d\n  condition: ka.verb=create\n  output: o\n  priority: INFO\n  source: k8s_audit\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("b.yaml"),
        "- rule: R\n  condition: and ka.user.name=alice\n  append: true\n",
    )
    .unwrap();
    let out = kubeward(&["rules", "check", "--format", "json", s(&folder)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["rules"], 1);
    assert_eq!(report["errors"], json!([]));
    // The manifest rule catalogue is still `kubeward rules`.
    let out = kubeward(&["rules", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        serde_json::from_slice::<Value>(&out.stdout)
            .unwrap()
            .is_array()
    );
}

#[test]
fn watch_reads_an_audit_log_to_its_end() {
    let Some(rules) = rules_dir() else { return };
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.log");
    let lines = format!(
        "{}\nnot json\n{}\n",
        privileged_pod_event("shop"),
        privileged_pod_event("kube-system")
    );
    std::fs::write(&log, lines).unwrap();
    let out = kubeward(&[
        "watch",
        "--rules",
        s(&rules.join("k8s_audit_rules.yaml")),
        "--audit-log",
        s(&log),
        "--no-follow",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2), "a bad line is an input error");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:2: invalid JSON", log.display())),
        "{stderr}"
    );
    let alerts: Vec<Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Falco's default: the first matching rule per event.
    assert_eq!(alerts.len(), 2, "{alerts:?}");
    for alert in &alerts {
        assert_eq!(alert["source"], "k8s_audit");
        for key in [
            "time",
            "rule",
            "priority",
            "output",
            "output_fields",
            "tags",
            "hostname",
        ] {
            assert!(alert.get(key).is_some(), "{key} missing in {alert}");
        }
        // Alerts name the machine the events were seen on, as Falco's do.
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
        assert_eq!(alert["hostname"], host.trim(), "{alert}");
    }
    assert_eq!(alerts[0]["rule"], "Create Privileged Pod");
    assert_eq!(alerts[0]["priority"], "Warning");

    std::fs::write(&log, format!("{}\n", privileged_pod_event("shop"))).unwrap();
    let out = kubeward(&[
        "watch",
        "-r",
        s(&rules.join("k8s_audit_rules.yaml")),
        "--audit-log",
        s(&log),
        "--no-follow",
        "--fail-on",
        "warning",
        "--rule-matching",
        "all",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout)
            .contains("Warning [Create Privileged Pod] Pod started with privileged container"),
        "{}",
        text(&out.stdout)
    );
}

/// A real HTTP server on 127.0.0.1 that answers each request with the next
/// status of `statuses` (then 200) and hands over each body.
fn http_server(statuses: Vec<u16>) -> (u16, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut statuses = statuses.into_iter();
        for stream in listener.incoming().take(20) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let status = statuses.next().unwrap_or(200);
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            if status == 200 {
                let _ = tx.send(text(&body));
            }
        }
    });
    (port, rx)
}

#[test]
fn alerts_are_posted_to_the_alert_webhook_with_retries() {
    let Some(rules) = rules_dir() else { return };
    let (port, bodies) = http_server(vec![503]);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.log");
    std::fs::write(&log, format!("{}\n", privileged_pod_event("shop"))).unwrap();
    let url = format!("http://127.0.0.1:{port}/alerts");
    let out = kubeward(&[
        "watch",
        "-r",
        s(&rules.join("k8s_audit_rules.yaml")),
        "--audit-log",
        s(&log),
        "--no-follow",
        "--alert-webhook",
        &url,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let body = bodies.recv_timeout(Duration::from_secs(10)).unwrap();
    let alert: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(alert["rule"], "Create Privileged Pod");
    assert!(
        text(&out.stderr).contains("alert webhook: 1 sent, 0 failed, 0 dropped"),
        "{}",
        text(&out.stderr)
    );
}

fn self_signed(dir: &Path) -> (PathBuf, PathBuf, String) {
    let cert =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .unwrap();
    let cert_path = dir.join("tls.crt");
    let key_path = dir.join("tls.key");
    let pem = cert.cert.pem();
    std::fs::write(&cert_path, &pem).unwrap();
    std::fs::write(&key_path, cert.signing_key.serialize_pem()).unwrap();
    (cert_path, key_path, pem)
}

#[test]
fn audit_webhook_takes_event_lists_over_https() {
    let Some(rules) = rules_dir() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (cert, key, pem) = self_signed(dir.path());
    let port = kubeward_testkit::free_port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .args([
            "watch",
            "-r",
            s(&rules.join("k8s_audit_rules.yaml")),
            "--audit-webhook",
            &addr,
            "--tls-cert",
            s(&cert),
            "--tls-key",
            s(&key),
            "--max-body-bytes",
            "100000",
            "--format",
            "json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let roots = ureq::tls::RootCerts::from(vec![
        ureq::tls::Certificate::from_pem(pem.as_bytes()).unwrap(),
    ]);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .tls_config(ureq::tls::TlsConfig::builder().root_certs(roots).build())
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .into();
    let base = format!("https://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while agent.get(&format!("{base}/healthz")).call().is_err() {
        assert!(Instant::now() < deadline, "webhook did not come up");
        std::thread::sleep(Duration::from_millis(100));
    }
    // A client that sends its headers and stalls gets 408 once the body's
    // 10 s are up, while the others are served.
    let stalled = std::thread::spawn({
        let cert = cert.clone();
        move || stalled_post(port, &cert)
    });
    let batch = json!({"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "items": [privileged_pod_event("shop"), {"kind": "broken"}]});
    let response = agent
        .post(&format!("{base}/k8s-audit"))
        .header("Content-Type", "application/json")
        .send(batch.to_string())
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.into_body().read_to_string().unwrap(),
        "{\"rejected\":1}\n"
    );
    let huge = format!(
        "{{\"kind\":\"EventList\",\"items\":[],\"pad\":\"{}\"}}",
        "x".repeat(200_000)
    );
    // Refused at once from its Content-Length: a 413, or the connection
    // closed while the client is still sending.
    if let Ok(response) = agent.post(&format!("{base}/k8s-audit")).send(huge) {
        assert_eq!(response.status(), 413);
    }
    assert_eq!(
        agent
            .post(&format!("{base}/k8s-audit"))
            .send("{nope")
            .unwrap()
            .status(),
        400
    );
    let metrics = agent
        .get(&format!("{base}/metrics"))
        .call()
        .unwrap()
        .into_body()
        .read_to_string()
        .unwrap();
    assert!(
        metrics.contains("kubeward_runtime_alerts_total 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("kubeward_audit_webhook_refused_requests_total 0"),
        "{metrics}"
    );
    // Plain HTTP to the TLS port is refused.
    assert!(
        ureq::get(&format!("http://127.0.0.1:{port}/healthz"))
            .call()
            .is_err()
    );
    let stalled = stalled.join().unwrap();
    assert!(stalled.starts_with("HTTP/1.1 408"), "{stalled}");

    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let status = child.wait().unwrap();
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let alert: Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(alert["rule"], "Create Privileged Pod");
}

/// Posts headers promising a body that never comes, over TLS trusting
/// `ca`, and returns what the server answers within 20 s.
fn stalled_post(port: u16, ca: &Path) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let tls = kubeward_net::tls::client_config(ca, None, rustls::ALL_VERSIONS).unwrap();
        let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .unwrap();
        let name = rustls::pki_types::ServerName::try_from("127.0.0.1").unwrap();
        let mut stream = tokio_rustls::TlsConnector::from(std::sync::Arc::new(tls))
            .connect(name, tcp)
            .await
            .unwrap();
        stream
            .write_all(b"POST /k8s-audit HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{")
            .await
            .unwrap();
        let mut out = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut out)).await;
        String::from_utf8_lossy(&out).into_owned()
    })
}

#[test]
fn plain_http_webhook_only_on_loopback() {
    let Some(rules) = rules_dir() else { return };
    let out = kubeward(&[
        "watch",
        "-r",
        s(&rules.join("k8s_audit_rules.yaml")),
        "--audit-webhook",
        "0.0.0.0:0",
        "--insecure-plain-http-on-loopback",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = kubeward(&[
        "watch",
        "-r",
        s(&rules.join("k8s_audit_rules.yaml")),
        "--audit-webhook",
        "127.0.0.1:0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--tls-cert"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn trace_and_seccomp_commands() {
    let Some(rules) = rules_dir() else { return };
    let out = kubeward(&[
        "trace",
        "--rules",
        s(&rules.join("falco_rules.yaml")),
        "--format",
        "json",
        "--",
        "cat",
        "/etc/shadow",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let alert = text(&out.stdout)
        .lines()
        .find(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .unwrap();
    assert_eq!(alert["rule"], "Read sensitive file untrusted");
    assert_eq!(alert["source"], "syscall");

    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile.json");
    let out = kubeward(&["seccomp", "record", "-o", s(&profile), "--", "true"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = kubeward(&["seccomp", "check", "--format", "json", s(&profile)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"], json!([]));
    assert_eq!(
        kubeward(&["seccomp", "run", s(&profile), "--", "true"])
            .status
            .code(),
        Some(0)
    );
    // `ls` needs syscalls `true` never made.
    assert_ne!(
        kubeward(&["seccomp", "run", s(&profile), "--", "ls", "/"])
            .status
            .code(),
        Some(0)
    );

    let risky = dir.path().join("risky.json");
    std::fs::write(&risky, r#"{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["read","ptrace","mount"],"action":"SCMP_ACT_ALLOW"}]}"#).unwrap();
    let out = kubeward(&["seccomp", "check", s(&risky)]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("allowed beyond the container runtime's default profile: mount, ptrace"),
        "{stdout}"
    );
    std::fs::write(&risky, "{\"defaultAction\": 3}").unwrap();
    assert_eq!(
        kubeward(&["seccomp", "check", s(&risky)]).status.code(),
        Some(2)
    );
}

/// A profile mixing actions keeps its meaning under `seccomp run`: a syscall
/// named with LOG is let through (not given the default ERRNO), an ERRNO
/// rule under a KILL default fails the call without killing, and a command
/// that cannot start is an error line, not a crash.
#[test]
fn seccomp_run_keeps_every_action_of_a_profile() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("mkdir.json");
    let target = dir.path().join("d1").join("x");
    let out = kubeward(&[
        "seccomp",
        "record",
        "-o",
        s(&base),
        "--",
        "mkdir",
        "-p",
        s(&target),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    std::fs::remove_dir_all(dir.path().join("d1")).unwrap();
    let mut profile: Value = serde_json::from_slice(&std::fs::read(&base).unwrap()).unwrap();
    let allowed = profile["syscalls"][0]["names"].as_array_mut().unwrap();
    allowed.retain(|n| n != "mkdir");
    let mut logged_profile = profile.clone();
    logged_profile["syscalls"]
        .as_array_mut()
        .unwrap()
        .push(json!({"names": ["mkdir"], "action": "SCMP_ACT_LOG"}));
    let logged = dir.path().join("logged.json");
    std::fs::write(&logged, logged_profile.to_string()).unwrap();
    let out = kubeward(&[
        "seccomp",
        "run",
        s(&logged),
        "--",
        "mkdir",
        "-p",
        s(&target),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(target.is_dir());
    std::fs::remove_dir_all(dir.path().join("d1")).unwrap();

    // mkdir fails with EACCES and says so; the process is not killed (it
    // would be by SIGSYS with the ERRNO rule lost under the KILL default).
    let mut refused = profile.clone();
    refused["syscalls"][0]["names"]
        .as_array_mut()
        .unwrap()
        .extend([
            json!("write"),
            json!("openat"),
            json!("close"),
            json!("newfstatat"),
            json!("fstat"),
            json!("chdir"),
            json!("lseek"),
            json!("read"),
        ]);
    let mut p = refused.clone();
    p["defaultAction"] = json!("SCMP_ACT_KILL_PROCESS");
    p["syscalls"]
        .as_array_mut()
        .unwrap()
        .push(json!({"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}));
    let errno = dir.path().join("errno.json");
    std::fs::write(&errno, p.to_string()).unwrap();
    let out = kubeward(&[
        "seccomp",
        "run",
        s(&errno),
        "--",
        "mkdir",
        s(&dir.path().join("d2")),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("Permission denied"),
        "{}",
        text(&out.stderr)
    );
    assert!(!dir.path().join("d2").exists());

    let out = kubeward(&["seccomp", "run", s(&base), "--", "/nonexistent/program"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("command not found"),
        "{}",
        text(&out.stderr)
    );
    let no_exec = dir.path().join("noexec.json");
    std::fs::write(&no_exec, r#"{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}"#).unwrap();
    let out = kubeward(&["seccomp", "run", s(&no_exec), "--", "true"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("does not allow execve"),
        "{}",
        text(&out.stderr)
    );
}

/// `seccomp check` says what an allowing default lets through (not a count
/// of the few sensitive syscalls it looked at), and a misspelt syscall is an
/// input error (exit 2) naming the likely one.
#[test]
fn seccomp_check_says_what_a_profile_lets_through() {
    let dir = tempfile::tempdir().unwrap();
    let open = dir.path().join("open.json");
    std::fs::write(
        &open,
        r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ptrace"],"action":"SCMP_ACT_ERRNO"}]}"#,
    )
    .unwrap();
    let out = kubeward(&["seccomp", "check", s(&open)]);
    assert_eq!(out.status.code(), Some(1), "mount and bpf get through");
    let first = text(&out.stdout).lines().next().unwrap().to_owned();
    assert!(
        first.contains("lets every syscall through but the 1 the profile stops (ptrace)"),
        "{first}"
    );
    let out = kubeward(&["seccomp", "check", "--format", "json", s(&open)]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["default_allows"], true);
    assert_eq!(report["denied"], json!(["ptrace"]));

    let typo = dir.path().join("typo.json");
    std::fs::write(
        &typo,
        r#"{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["reed","write","execve"],"action":"SCMP_ACT_ALLOW"}]}"#,
    )
    .unwrap();
    let out = kubeward(&["seccomp", "check", s(&typo)]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("`reed`") && err.contains("did you mean `read`?"),
        "{err}"
    );
}

/// `watch` stops on SIGTERM as Kubernetes stops a pod, as on SIGINT: it
/// stops reading, flushes its alerts, prints its summary and exits 0 (not
/// 143 with nothing said). A real process, following a log, sent a real
/// signal once its first alert is out.
#[test]
fn watch_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.yaml");
    std::fs::write(
        &rules,
        "- rule: Pod created\n  desc: d\n  condition: ka.verb=create\n  output: created by %ka.user.name\n  priority: WARNING\n  source: k8s_audit\n",
    )
    .unwrap();
    let log = dir.path().join("audit.log");
    std::fs::write(&log, format!("{}\n", privileged_pod_event("shop"))).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .args(["watch", "-r", s(&rules), "--audit-log", s(&log)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.contains("created by"), "{first}");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{status:?}: {stderr}");
    assert!(stderr.contains("1 events, 1 alerts"), "{stderr}");
}
