//! Throughput of the rules engine on the full upstream rule sets.
//!
//! - `syscall/decode`: decoding a recorded stream of 1,000,000 synthetic
//!   syscall events (the ceiling: no rule evaluated);
//! - `syscall/evaluate`: the same stream decoded and evaluated against
//!   falco_rules + incubating + sandbox (all syscall rules, first match);
//! - `audit/parse`, `audit/evaluate`, `audit/parse+evaluate`: the upstream
//!   sample audit events against k8s_audit_rules.yaml.
//!
//! The stream mixes what busy hosts do: mostly reads, writes, polls and
//! closes, some opens (a few of sensitive files), mmaps, network calls,
//! and rare execs, clones, unlinks and renames, from a pool of processes.
//! Run: `cargo bench -p kubeward-falco --bench engine`.

#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kubeward_falco::compile::compile;
use kubeward_falco::event::{
    Ancestor, Arg, ArgName, AuditEvent, EventType, Fd, FdKind, L4Proto, NetTuple, Process,
    SyscallEvent, parse_audit_payload,
};
use kubeward_falco::{Engine, EngineOptions, RuleSet};

const EVENTS: usize = 1_000_000;

/// One recorded event.
#[derive(Clone, Copy)]
#[repr(C)]
struct Record {
    etype: u16,
    process: u16,
    fd: u16,
    flags: u32,
    res: i64,
}

struct Pool {
    processes: Vec<Process>,
    fds: Vec<Fd>,
}

fn process(
    pid: i64,
    name: &str,
    exepath: &str,
    args: &[&str],
    parent: &str,
    grandparent: &str,
    uid: u32,
) -> Process {
    let mut p = Process {
        pid,
        tid: pid,
        ppid: 1,
        vpid: pid,
        name: name.to_owned(),
        exe: exepath.to_owned(),
        exepath: exepath.to_owned(),
        args: args.iter().map(|a| (*a).to_owned()).collect(),
        cwd: "/srv".to_owned(),
        uid,
        user_name: if uid == 0 {
            "root".to_owned()
        } else {
            "www-data".to_owned()
        },
        group_name: "root".to_owned(),
        loginuid: -1,
        ancestors: Arc::from(vec![
            Ancestor {
                pid: 1,
                name: parent.to_owned(),
                exe: parent.to_owned(),
                exepath: format!("/usr/bin/{parent}"),
                cmdline: parent.to_owned(),
            },
            Ancestor {
                pid: 1,
                name: grandparent.to_owned(),
                exe: grandparent.to_owned(),
                exepath: format!("/usr/bin/{grandparent}"),
                cmdline: grandparent.to_owned(),
            },
        ]),
        ..Process::default()
    };
    p.set_command_line();
    p
}

fn pool() -> Pool {
    let processes = vec![
        process(
            100,
            "nginx",
            "/usr/sbin/nginx",
            &["-g", "daemon off;"],
            "containerd-shim",
            "systemd",
            33,
        ),
        process(
            101,
            "java",
            "/usr/lib/jvm/bin/java",
            &["-jar", "/srv/app.jar"],
            "containerd-shim",
            "systemd",
            1000,
        ),
        process(
            102,
            "python3",
            "/usr/bin/python3",
            &["/srv/worker.py"],
            "bash",
            "sshd",
            1000,
        ),
        process(
            103,
            "postgres",
            "/usr/lib/postgresql/bin/postgres",
            &["-D", "/var/lib/postgresql"],
            "systemd",
            "init",
            999,
        ),
        process(
            104,
            "sh",
            "/usr/bin/dash",
            &["-c", "date"],
            "python3",
            "bash",
            1000,
        ),
        process(
            105,
            "cat",
            "/usr/bin/cat",
            &["/etc/shadow"],
            "bash",
            "sshd",
            0,
        ),
        process(
            106,
            "node",
            "/usr/bin/node",
            &["server.js"],
            "containerd-shim",
            "systemd",
            1000,
        ),
        process(
            107,
            "redis-server",
            "/usr/bin/redis-server",
            &["*:6379"],
            "systemd",
            "init",
            999,
        ),
    ];
    let file = |num, path: &str| Fd::file(num, path.to_owned(), path.to_owned(), false);
    let socket = |num, server: &str, client: &str| {
        let net = NetTuple {
            proto: L4Proto::Tcp,
            client: Some(client.parse().unwrap()),
            server: Some(server.parse().unwrap()),
            local_is_server: false,
            connected: true,
        };
        Fd {
            num,
            kind: FdKind::Ipv4,
            name: net.render(),
            name_raw: String::new(),
            net: Some(net),
        }
    };
    let fds = vec![
        file(3, "/usr/lib/x86_64-linux-gnu/libssl.so.3"),
        file(4, "/srv/static/index.html"),
        file(5, "/var/log/nginx/access.log"),
        file(6, "/proc/self/stat"),
        file(7, "/etc/ld.so.cache"),
        file(8, "/tmp/upload-1234"),
        file(9, "/etc/shadow"),
        file(10, "/var/lib/postgresql/base/16384/1259"),
        socket(11, "10.0.0.5:5432", "10.0.0.7:41000"),
        socket(12, "169.254.169.254:80", "10.0.0.7:41001"),
        Fd {
            num: 13,
            kind: FdKind::Pipe,
            name: "pipe:[4242]".to_owned(),
            name_raw: String::new(),
            net: None,
        },
        file(14, "/etc/passwd"),
    ];
    Pool { processes, fds }
}

/// A deterministic stream with a realistic mix of syscalls.
fn record_stream() -> Vec<Record> {
    let mix: &[(&str, u32)] = &[
        ("read", 240),
        ("write", 170),
        ("epoll_wait", 90),
        ("futex", 80),
        ("close", 60),
        ("openat", 70),
        ("fstat", 40),
        ("mmap", 30),
        ("recvfrom", 40),
        ("sendto", 40),
        ("lseek", 20),
        ("ioctl", 20),
        ("getdents64", 10),
        ("connect", 8),
        ("accept4", 6),
        ("socket", 6),
        ("clone", 4),
        ("execve", 4),
        ("unlinkat", 3),
        ("renameat2", 2),
        ("setuid", 1),
        ("ptrace", 1),
        ("dup2", 2),
        ("chmod", 2),
        ("exit_group", 2),
        ("mprotect", 20),
        ("brk", 10),
        ("rt_sigaction", 10),
        ("getpid", 5),
        ("nanosleep", 10),
    ];
    let total: u32 = mix.iter().map(|(_, w)| w).sum();
    let types: Vec<(u16, u32)> = mix
        .iter()
        .map(|(n, w)| (EventType::from_name(n).unwrap().0, *w))
        .collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..EVENTS)
        .map(|_| {
            let mut pick = u32::try_from(next() % u64::from(total)).unwrap();
            let etype = types
                .iter()
                .find(|(_, w)| {
                    if pick < *w {
                        true
                    } else {
                        pick -= w;
                        false
                    }
                })
                .unwrap()
                .0;
            let r = next();
            Record {
                etype,
                process: (r % 8) as u16,
                fd: ((r >> 8) % 12) as u16,
                // Mostly read-only opens, some writes and truncations.
                flags: [0, 0, 0, 0o2000000, 0o1101, 0o2, 0o2101][((r >> 16) % 7) as usize],
                res: if (r >> 24) % 20 == 0 { -2 } else { 3 },
            }
        })
        .collect()
}

/// Decodes a record into an event and hands it to `f`.
#[inline]
fn decode<R>(pool: &Pool, r: &Record, num: u64, f: impl FnOnce(&SyscallEvent<'_>) -> R) -> R {
    let fd = &pool.fds[usize::from(r.fd)];
    let flags = i64::from(r.flags);
    let args = [
        Arg {
            name: ArgName::FD,
            text: std::borrow::Cow::Borrowed("3"),
            raw: Some(fd.num),
        },
        Arg {
            name: ArgName::NAME,
            text: std::borrow::Cow::Borrowed(fd.name.as_str()),
            raw: None,
        },
        Arg {
            name: ArgName::FLAGS,
            text: std::borrow::Cow::Borrowed(if flags & 0o1000 != 0 {
                "O_WRONLY|O_CREAT|O_TRUNC"
            } else {
                "O_RDONLY"
            }),
            raw: Some(flags),
        },
    ];
    let event = SyscallEvent {
        num,
        ts: 1_700_000_000_000_000_000 + num,
        etype: EventType(r.etype),
        res: r.res,
        process: &pool.processes[usize::from(r.process)],
        fd: Some(fd),
        args: &args,
    };
    f(&event)
}

fn rules(files: &[&Path]) -> Option<Engine> {
    let mut set = RuleSet::new();
    for f in files {
        set.load_str(
            f.display().to_string().into(),
            &std::fs::read_to_string(f).unwrap(),
        );
    }
    let compiled = compile(&set);
    if !compiled.errors.is_empty() {
        return None;
    }
    Some(Engine::new(compiled, EngineOptions::default()))
}

fn bench(c: &mut Criterion) {
    let Some(dir) = kubeward_testkit::conformance_dir("falco") else {
        return;
    };
    let r = dir.join("rules");
    let syscall = rules(&[
        &r.join("falco_rules.yaml"),
        &r.join("falco-incubating_rules.yaml"),
        &r.join("falco-sandbox_rules.yaml"),
    ])
    .expect("upstream syscall rules compile");
    let pool = pool();
    let stream = record_stream();

    let mut group = c.benchmark_group("syscall");
    group.throughput(Throughput::Elements(EVENTS as u64));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("decode", |b| {
        b.iter(|| {
            let mut n = 0u64;
            for (i, r) in stream.iter().enumerate() {
                n += decode(&pool, r, i as u64, |e| black_box(e).res as u64 & 1);
            }
            n
        });
    });
    let mut alerts = Vec::new();
    group.bench_function("evaluate", |b| {
        b.iter(|| {
            alerts.clear();
            for (i, r) in stream.iter().enumerate() {
                decode(&pool, r, i as u64, |e| syscall.on_syscall(e, &mut alerts));
            }
            alerts.len()
        });
    });
    group.finish();
    eprintln!(
        "syscall stream: {} alerts per {EVENTS} events",
        alerts.len()
    );

    let audit = rules(&[&r.join("k8s_audit_rules.yaml")]).expect("upstream audit rules compile");
    let lines: Vec<String> = std::fs::read_to_string(dir.join("audit-events/all_events.jsonl"))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let events: Vec<AuditEvent> = lines
        .iter()
        .flat_map(|l| parse_audit_payload(l.as_bytes()).unwrap())
        .flatten()
        .collect();
    let mut group = c.benchmark_group("audit");
    group.throughput(Throughput::Elements(events.len() as u64));
    group.bench_function("parse", |b| {
        b.iter(|| {
            lines
                .iter()
                .map(|l| parse_audit_payload(black_box(l.as_bytes())).unwrap().len())
                .sum::<usize>()
        });
    });
    group.bench_function("evaluate", |b| {
        b.iter(|| {
            let mut alerts = Vec::new();
            for e in &events {
                audit.on_audit(e, &mut alerts);
            }
            alerts.len()
        });
    });
    group.bench_function("parse+evaluate", |b| {
        b.iter(|| {
            let mut alerts = Vec::new();
            for l in &lines {
                for e in parse_audit_payload(l.as_bytes())
                    .unwrap()
                    .into_iter()
                    .flatten()
                {
                    audit.on_audit(&e, &mut alerts);
                }
            }
            alerts.len()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
