//! The ptrace source on real commands of this machine (root, ptrace
//! allowed): the upstream rules that fit a host process fire, forks are
//! followed, sockets are decoded, and recorded seccomp profiles are enforced.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use kubeward_falco::compile::compile;
use kubeward_falco::{Alert, Engine, EngineOptions, RuleMatching, RuleSet};
use kubeward_runtime::seccomp;
use kubeward_runtime::trace::{Exit, trace};

fn engine(files: &[&Path], extra: &str) -> Engine {
    let mut set = RuleSet::new();
    for f in files {
        kubeward_runtime::rules::load(&mut set, f);
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

/// The outputs of one rule's alerts.
fn outputs<'a>(alerts: &'a [Alert], rule: &str) -> Vec<&'a str> {
    alerts
        .iter()
        .filter(|a| a.rule == rule)
        .map(|a| a.output.as_str())
        .collect()
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

fn all_upstream(rules: &Path) -> Engine {
    engine(
        &[
            &rules.join("falco_rules.yaml"),
            &rules.join("falco-incubating_rules.yaml"),
            &rules.join("falco-sandbox_rules.yaml"),
        ],
        r#"
- rule: modes and ids
  desc: the raw and rendered forms of mode and uid arguments
  condition: evt.type in (chmod, fchmodat, mkdir, mkdirat, setuid, setresuid)
  output: "%evt.type args=[%evt.args] rawmode=%evt.rawarg.mode rawuid=%evt.rawarg.uid"
  priority: INFO
"#,
    )
}

#[test]
fn chmod_modes_render_as_flag_names_and_mkdir_has_its_path() {
    let Some(rules) = upstream() else { return };
    let engine = all_upstream(&rules);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("suid");
    std::fs::write(&file, "x").unwrap();
    std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let made = format!("/usr/bin/kubeward-mkdir-test-{}", std::process::id());
    let script = format!(
        "chmod u+s {f}; mkdir {made}; rmdir {made}; cd {d} && mkdir sub",
        f = file.display(),
        d = dir.path().display()
    );
    let (alerts, exit) = run(&engine, Command::new("sh").arg("-c").arg(&script));
    assert_eq!(exit, Exit::Code(0));
    let rules = fired(&alerts);
    assert!(rules.contains("Set Setuid or Setgid bit"), "{rules:?}");
    assert!(rules.contains("Mkdir binary dirs"), "{rules:?}");
    let suid = alerts
        .iter()
        .find(|a| a.rule == "Set Setuid or Setgid bit")
        .unwrap();
    assert!(
        suid.output.contains(&format!(
            "filename={} mode=S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISUID",
            file.display()
        )),
        "{}",
        suid.output
    );
    let own = outputs(&alerts, "modes and ids");
    // chmod(2) or fchmodat(2), whichever this coreutils uses; the raw mode is 0o4755.
    assert!(
        own.iter()
            .any(|o| (o.starts_with("chmod") || o.starts_with("fchmodat"))
                && o.ends_with("rawmode=2541 rawuid=<NA>")),
        "{own:?}"
    );
    let mkdir = alerts
        .iter()
        .find(|a| a.rule == "Mkdir binary dirs")
        .unwrap();
    assert!(
        mkdir.output.contains(&format!("directory={made} ")),
        "{}",
        mkdir.output
    );
    // A relative path is shown resolved against the working directory; the mode in hex.
    let sub = format!("path={}/sub mode=1FF]", dir.path().display());
    assert!(own.iter().any(|o| o.contains(&sub)), "{own:?}");
    assert!(!Path::new(&made).exists());
}

#[test]
fn setuid_arguments_are_user_names() {
    let Some(rules) = upstream() else { return };
    let engine = all_upstream(&rules);
    // As nobody (saved uid daemon): setuid(nobody) is somebody becoming
    // themselves, which the upstream rule leaves alone; setuid(daemon) is not.
    let script = "import os; os.setgid(65534); os.setresuid(65534, 65534, 1); \
                  os.setuid(65534); os.setuid(1)";
    let (alerts, exit) = run(&engine, Command::new("python3").arg("-c").arg(script));
    assert_eq!(exit, Exit::Code(0));
    let setuid = outputs(&alerts, "Non sudo setuid");
    assert_eq!(setuid.len(), 1, "{setuid:?}");
    assert!(setuid[0].contains("arg_uid=daemon "), "{}", setuid[0]);
    let own = outputs(&alerts, "modes and ids");
    assert!(
        own.contains(
            &"setresuid args=[res=0 ruid=nobody euid=nobody suid=daemon] rawmode=<NA> rawuid=<NA>"
        ),
        "{own:?}"
    );
    assert!(
        own.contains(&"setuid args=[res=0 uid=nobody] rawmode=<NA> rawuid=65534"),
        "{own:?}"
    );
}

const NET_RULE: &str = r#"
- rule: net
  desc: socket endpoints
  condition: evt.type in (accept, accept4, bind, listen) and fd.typechar = 4
  output: "%evt.type name=%fd.name sip=%fd.sip sport=%fd.sport cip=%fd.cip lport=%fd.lport"
  priority: INFO
"#;

#[test]
fn an_accepted_socket_has_its_own_endpoints() {
    let engine = engine(&[], NET_RULE);
    // One listener on every address with a fixed port, one on loopback with
    // a port the kernel picks; the second is accepted without asking for
    // the peer's address.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let script = format!(
        "import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', {port})); s.listen(1)
c = socket.socket(); c.connect(('127.0.0.1', {port})); a, _ = s.accept()
t = socket.socket(); t.bind(('127.0.0.1', 0)); t.listen(1)
d = socket.socket(); d.connect(t.getsockname())
import os; os.write(1, ('%d %d\\n' % (c.getsockname()[1], t.getsockname()[1])).encode())
import ctypes; assert ctypes.CDLL(None).accept(t.fileno(), None, None) >= 0
"
    );
    let out = tempfile::NamedTempFile::new().unwrap();
    let (alerts, exit) = run(
        &engine,
        Command::new("python3")
            .arg("-c")
            .arg(&script)
            .stdout(out.reopen().unwrap()),
    );
    assert_eq!(exit, Exit::Code(0));
    let printed = std::fs::read_to_string(out.path()).unwrap();
    let (client_port, kernel_port) = printed.trim().split_once(' ').unwrap();
    let outputs: Vec<&str> = alerts.iter().map(|a| a.output.as_str()).collect();
    let first = format!(
        "name=127.0.0.1:{client_port}->127.0.0.1:{port} sip=127.0.0.1 sport={port} cip=127.0.0.1 lport={port}"
    );
    assert!(
        outputs
            .iter()
            .any(|o| o.starts_with("accept") && o.ends_with(&first)),
        "{outputs:?}"
    );
    assert!(
        outputs.iter().any(|o| o.starts_with("listen")
            && o.contains(&format!("sip=127.0.0.1 sport={kernel_port} "))),
        "{outputs:?}"
    );
    let second =
        format!("->127.0.0.1:{kernel_port} sip=127.0.0.1 sport={kernel_port} cip=127.0.0.1");
    assert!(
        outputs
            .iter()
            .any(|o| o.starts_with("accept") && o.contains(&second) && !o.contains("0.0.0.0:0")),
        "{outputs:?}"
    );
}

#[test]
fn stop_signals_stop_a_traced_process_until_it_is_continued() {
    let dir = tempfile::tempdir().unwrap();
    let counter = dir.path().join("counter");
    // A background loop is stopped (SIGSTOP, then SIGTSTP) and continued;
    // while stopped it must not count on.
    let script = format!(
        r#"( while :; do echo x >> {c}; sleep 0.02; done ) & P=$!
lines() {{ wc -l < {c}; }}
state() {{ cut -d' ' -f3 /proc/$P/stat; }}
sleep 0.3; kill -STOP $P; sleep 0.1; a=$(lines); sleep 0.5; b=$(lines); s=$(state)
kill -CONT $P; sleep 0.3; c=$(lines)
kill -TSTP $P; sleep 0.1; d=$(lines); sleep 0.5; e=$(lines); t=$(state)
kill -CONT $P; sleep 0.3; f=$(lines); kill -KILL $P; wait $P
echo "$a $b $s $c $d $e $t $f""#,
        c = counter.display()
    );
    let out = dir.path().join("out");
    // The kernel discards SIGTSTP sent to an orphaned process group, traced or
    // not, and the test's own group is orphaned when the suite runs detached
    // (as in CI). In a group of its own, whose parent (this test) is in
    // another group of the same session, the shell and its loop are not.
    use std::os::unix::process::CommandExt;
    let (_, exit) = run(
        &engine(&[], ""),
        Command::new("sh")
            .arg("-c")
            .arg(&script)
            .process_group(0)
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::process::Stdio::null()),
    );
    assert_eq!(exit, Exit::Code(0));
    let printed = std::fs::read_to_string(&out).unwrap();
    let fields: Vec<&str> = printed.split_whitespace().collect();
    let [a, b, s, c, d, e, t, f] = fields[..] else {
        panic!("{printed}")
    };
    let n = |x: &str| x.parse::<u32>().unwrap();
    // Stopped: T, or t as procfs shows a stopped process under ptrace.
    let stopped = |state: &str| state.eq_ignore_ascii_case("t");
    assert!(a == b && stopped(s), "SIGSTOP: {printed}");
    assert!(n(c) > n(b), "SIGCONT: {printed}");
    assert!(d == e && stopped(t), "SIGTSTP: {printed}");
    assert!(n(f) > n(e), "SIGCONT: {printed}");
}
