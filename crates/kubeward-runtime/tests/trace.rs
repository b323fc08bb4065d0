//! The ptrace source on real commands of this machine (root, ptrace
//! allowed): the upstream rules that fit a host process fire, forks are
//! followed, sockets are decoded, and recorded seccomp profiles are enforced.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use kubeward_runtime::compile::compile;
use kubeward_runtime::seccomp;
use kubeward_runtime::trace::{Exit, trace};
use kubeward_runtime::{Alert, Engine, EngineOptions, RuleMatching, RuleSet};

fn engine(files: &[&Path], extra: &str) -> Engine {
    let mut set = RuleSet::new();
    for f in files {
        set.load_file(f);
    }
    if !extra.is_empty() {
        set.load_str("extra.yaml".into(), extra);
    }
    let compiled = compile(&set);
    assert!(compiled.errors.is_empty(), "{:?}", compiled.errors);
    Engine::new(
        compiled,
        EngineOptions {
            rule_matching: RuleMatching::All,
            ..EngineOptions::default()
        },
    )
}

fn run(engine: &Engine, command: &mut Command) -> (Vec<Alert>, Exit) {
    let mut alerts = Vec::new();
    let outcome = trace(command, &mut |event| engine.on_syscall(event, &mut alerts)).unwrap();
    (alerts, outcome.exit)
}

fn fired(alerts: &[Alert]) -> BTreeSet<&str> {
    alerts.iter().map(|a| a.rule.as_str()).collect()
}

fn upstream() -> Option<std::path::PathBuf> {
    kubeward_testkit::conformance_dir("falco").map(|d| d.join("rules"))
}

#[test]
fn reading_etc_shadow_is_a_sensitive_read() {
    let Some(rules) = upstream() else { return };
    let engine = engine(&[&rules.join("falco_rules.yaml")], "");
    let (alerts, exit) = run(
        &engine,
        Command::new("cat")
            .arg("/etc/shadow")
            .stdout(std::process::Stdio::null()),
    );
    assert_eq!(exit, Exit::Code(0));
    let alert = alerts
        .iter()
        .find(|a| a.rule == "Read sensitive file untrusted")
        .expect("rule fired");
    assert!(
        alert.output.contains("file=/etc/shadow"),
        "{}",
        alert.output
    );
    assert!(alert.output.contains("process=cat"), "{}", alert.output);
    assert_eq!(alert.output_fields["fd.name"], "/etc/shadow");
}

#[test]
fn shell_spawned_by_a_server_history_removal_and_log_truncation() {
    let Some(rules) = upstream() else { return };
    let engine = engine(
        &[
            &rules.join("falco_rules.yaml"),
            &rules.join("falco-incubating_rules.yaml"),
            &rules.join("falco-sandbox_rules.yaml"),
        ],
        "",
    );
    let dir = tempfile::tempdir().unwrap();
    // A shell binary named like a web server stands in for a compromised server.
    let server = dir.path().join("nginx");
    std::fs::copy("/bin/sh", &server).unwrap();
    std::fs::write(dir.path().join(".bash_history"), "ls\n").unwrap();
    std::fs::write(dir.path().join("auth.log"), "login\n").unwrap();
    let etc_file = format!("/etc/kubeward-trace-test-{}", std::process::id());
    let script = format!(
        "sh -c 'rm {d}/.bash_history; : > {d}/auth.log; echo x > {etc_file}; rm {etc_file}'; true",
        d = dir.path().display()
    );
    let (alerts, exit) = run(&engine, Command::new(&server).arg("-c").arg(&script));
    assert_eq!(exit, Exit::Code(0));
    let rules = fired(&alerts);
    for rule in [
        "Run shell untrusted",
        "Delete or rename shell history",
        "Clear Log Activities",
        "Write below etc",
    ] {
        assert!(rules.contains(rule), "{rule} did not fire: {rules:?}");
    }
    let shell = alerts
        .iter()
        .find(|a| a.rule == "Run shell untrusted")
        .unwrap();
    assert_eq!(
        shell.output_fields["proc.pname"], "nginx",
        "{}",
        shell.output
    );
    let history = alerts
        .iter()
        .find(|a| a.rule == "Delete or rename shell history")
        .unwrap();
    assert!(
        history.output.contains(".bash_history"),
        "{}",
        history.output
    );
    assert!(!Path::new(&etc_file).exists());
}

#[test]
fn harmless_commands_raise_nothing() {
    let Some(rules) = upstream() else { return };
    let engine = engine(&[&rules.join("falco_rules.yaml")], "");
    let (alerts, exit) = run(
        &engine,
        Command::new("sh")
            .arg("-c")
            .arg("cat /etc/hostname > /dev/null; ls / > /dev/null"),
    );
    assert_eq!(exit, Exit::Code(0));
    assert!(alerts.is_empty(), "{:?}", fired(&alerts));
}

const OWN_RULES: &str = r#"
- rule: child exec
  desc: a process started by a traced shell
  condition: evt.type = execve and proc.name = cat and proc.pname = bash and proc.aname[2] exists
  output: "%proc.name pid=%proc.pid ppid=%proc.ppid parent=%proc.pname cmd=%proc.cmdline"
  priority: notice
- rule: tcp connect
  desc: outbound connection
  condition: evt.type = connect and fd.typechar = 4 and fd.l4proto = tcp and fd.sip = 127.0.0.1 and fd.cip = 127.0.0.1
  output: "connect %fd.name sport=%fd.sport"
  priority: notice
"#;

#[test]
fn follows_forks_and_decodes_sockets() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let engine = engine(&[], OWN_RULES);
    let script =
        format!("cat /etc/hostname > /dev/null; exec 3<>/dev/tcp/127.0.0.1/{port}; exit 3");
    let (alerts, exit) = run(&engine, Command::new("bash").arg("-c").arg(&script));
    assert_eq!(exit, Exit::Code(3));
    drop(listener);
    let child = alerts
        .iter()
        .find(|a| a.rule == "child exec")
        .expect("fork followed");
    assert!(
        child.output.contains("cmd=cat /etc/hostname"),
        "{}",
        child.output
    );
    let connect = alerts
        .iter()
        .find(|a| a.rule == "tcp connect")
        .expect("connect decoded");
    assert!(
        connect
            .output
            .ends_with(&format!("->127.0.0.1:{port} sport={port}")),
        "{}",
        connect.output
    );
}

#[test]
fn recorded_seccomp_profile_allows_the_command_and_blocks_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let recorded = format!("echo hi > {}", out.display());
    let outcome = trace(Command::new("sh").arg("-c").arg(&recorded), &mut |_| {}).unwrap();
    let profile = seccomp::profile_from_syscalls(&outcome.syscalls);
    let names = &profile.syscalls[0].names;
    assert!(
        names.iter().any(|n| n == "execve") && !names.iter().any(|n| n == "mkdir"),
        "{names:?}"
    );
    let text = serde_json::to_string(&profile).unwrap();
    let profile = seccomp::parse_profile(&text).unwrap();
    std::fs::remove_file(&out).unwrap();

    let status = seccomp::run(&profile, Command::new("sh").arg("-c").arg(&recorded)).unwrap();
    assert!(status.success());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "hi\n");

    // `mkdir` was never recorded: the kernel refuses it with EPERM.
    let made = dir.path().join("made");
    let script = format!(
        "{recorded}; mkdir {m} 2>/dev/null; test -d {m}",
        m = made.display()
    );
    let status = seccomp::run(&profile, Command::new("sh").arg("-c").arg(&script)).unwrap();
    assert!(!status.success());
    assert!(!made.exists());
    // Without the profile the same script succeeds.
    assert!(
        Command::new("sh")
            .arg("-c")
            .arg(&script)
            .status()
            .unwrap()
            .success()
    );
}
