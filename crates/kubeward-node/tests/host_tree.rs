//! `kubeward host` checks over root trees built in temp dirs: a hardened
//! node and a neglected one, check by check.
// Helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

mod common;

use common::statuses;
use kubeward_core::benchmark::{BenchmarkReport, Status};
use kubeward_node::Root;
use kubeward_node::host::{self, HostFacts};

fn write(root: &Path, path: &str, text: &str) {
    let real = root.join(path.trim_start_matches('/'));
    fs::create_dir_all(real.parent().unwrap()).unwrap();
    fs::write(real, text).unwrap();
}

/// A socket owned by a process: a `/proc/net/tcp` line and `/proc/PID/fd/N`.
fn tcp_line(slot: u32, addr_hex: &str, port: u16, inode: u64) -> String {
    format!(
        "   {slot}: {addr_hex}:{port:04X} 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 {inode} 1 0000000000000000 100 0 0 10 0\n"
    )
}

fn process(root: &Path, pid: u32, comm: &str, inodes: &[u64]) {
    write(root, &format!("/proc/{pid}/comm"), &format!("{comm}\n"));
    let fd = root.join(format!("proc/{pid}/fd"));
    fs::create_dir_all(&fd).unwrap();
    for (n, inode) in inodes.iter().enumerate() {
        symlink(format!("socket:[{inode}]"), fd.join((n + 3).to_string())).unwrap();
    }
    symlink("/dev/null", fd.join("0")).unwrap();
}

fn tree(hardened: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(
        r,
        "/etc/passwd",
        &format!(
            "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\nadmin:x:1000:1000::/home/admin:/bin/bash\n{}",
            if hardened {
                ""
            } else {
                "toor:x:0:0::/root:/bin/sh\nbackup:x:34:34::/var/backups:/bin/sh\nguest:x:1001:1001::/home/guest:/bin/bash\n"
            }
        ),
    );
    write(
        r,
        "/etc/shadow",
        &format!(
            "root:!:19000:0:99999:7:::\ndaemon:*:19000::::::\nadmin:$y$j9T$abcdefghijklmnopqrstuv$0123456789012345678901234567890123456789012:19000:0:99999:7:::\n{}",
            if hardened {
                ""
            } else {
                "toor:!:19000::::::\nbackup:*:19000::::::\nguest::19000:0:99999:7:::\n"
            }
        ),
    );
    // sshd: Debian's layout, an Include of a drop-in directory first.
    write(
        r,
        "/etc/ssh/sshd_config",
        "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\nPasswordAuthentication yes\nX11Forwarding yes\n",
    );
    if hardened {
        write(
            r,
            "/etc/ssh/sshd_config.d/10-hardening.conf",
            "PermitRootLogin no\nPasswordAuthentication no\nX11Forwarding no\nMaxAuthTries 3\n",
        );
    } else {
        write(
            r,
            "/etc/ssh/sshd_config.d/10-site.conf",
            "MaxAuthTries 10\nPermitUserEnvironment yes\nMatch User deploy\n    PasswordAuthentication yes\n    PermitEmptyPasswords yes\n",
        );
    }
    write(
        r,
        "/etc/sudoers",
        "Defaults env_reset\nroot ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n",
    );
    write(
        r,
        "/etc/sudoers.d/README",
        "# files in this directory are read\n",
    );
    if !hardened {
        write(r, "/etc/sudoers.d/ci", "ci ALL=(ALL) NOPASSWD: ALL\n");
        write(
            r,
            "/etc/sudoers.d/ignored.bak",
            "nobody ALL=(ALL) NOPASSWD: ALL\n",
        );
        write(r, "/etc/sudoers.d/ops", "alice ALL=(ALL) ALL\n");
    }
    let modules = [
        "cramfs", "freevxfs", "hfs", "hfsplus", "jffs2", "udf", "dccp", "sctp", "rds", "tipc",
    ];
    let skip = if hardened { 0 } else { 3 };
    let conf: String = modules[skip..]
        .iter()
        .map(|m| format!("install {m} /bin/false\nblacklist {m}\n"))
        .collect();
    write(r, "/etc/modprobe.d/kubeward.conf", &conf);
    write(
        r,
        "/proc/modules",
        &format!(
            "overlay 151552 10 - Live 0x0000000000000000\nbr_netfilter 32768 0 - Live 0x0000000000000000\n{}",
            if hardened {
                ""
            } else {
                "sctp 434176 2 - Live 0x0000000000000000\n"
            }
        ),
    );
    // Listening sockets: ssh and the kubelet everywhere; a database on the
    // network and the kubelet's read-only port on the neglected node.
    let mut tcp = String::from(
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n",
    );
    tcp += &tcp_line(0, "00000000", 22, 1001);
    tcp += &tcp_line(1, "0100007F", 10248, 1002);
    tcp += &tcp_line(2, "00000000", 10250, 1003);
    if !hardened {
        tcp += &tcp_line(3, "00000000", 3306, 1004);
        tcp += &tcp_line(4, "00000000", 10255, 1005);
    }
    write(r, "/proc/net/tcp", &tcp);
    write(
        r,
        "/proc/net/tcp6",
        "  sl  local_address remote_address st\n",
    );
    write(r, "/proc/net/udp", "  sl  local_address rem_address   st\n");
    process(r, 611, "sshd", &[1001]);
    process(r, 900, "kubelet", &[1002, 1003, 1005]);
    if !hardened {
        process(r, 1200, "mysqld", &[1004]);
    }
    write(
        r,
        "/sys/module/apparmor/parameters/enabled",
        if hardened { "Y\n" } else { "N\n" },
    );
    write(
        r,
        "/sys/kernel/security/apparmor/profiles",
        if hardened {
            "cri-containerd.apparmor.d (enforce)\n/usr/sbin/chronyd (enforce)\n"
        } else {
            "/usr/sbin/chronyd (complain)\n"
        },
    );
    write(
        r,
        "/boot/config-6.1.0-27-amd64",
        if hardened {
            "CONFIG_SECCOMP=y\nCONFIG_SECCOMP_FILTER=y\n"
        } else {
            "CONFIG_SECCOMP=y\n# CONFIG_SECCOMP_FILTER is not set\n"
        },
    );
    let wants = r.join("etc/systemd/system/multi-user.target.wants");
    fs::create_dir_all(&wants).unwrap();
    symlink("/lib/systemd/system/ssh.service", wants.join("ssh.service")).unwrap();
    symlink(
        "/lib/systemd/system/kubelet.service",
        wants.join("kubelet.service"),
    )
    .unwrap();
    if hardened {
        write(
            r,
            "/etc/nftables.conf",
            "table inet filter {\n  chain input {\n    type filter hook input priority 0; policy drop;\n    tcp dport { 22, 6443, 10250 } accept\n  }\n}\n",
        );
    } else {
        symlink(
            "/lib/systemd/system/avahi-daemon.service",
            wants.join("avahi-daemon.service"),
        )
        .unwrap();
        symlink(
            "/lib/systemd/system/rpcbind.service",
            wants.join("rpcbind.service"),
        )
        .unwrap();
        write(
            r,
            "/etc/nftables.conf",
            "table inet filter {\n  chain input {\n    type filter hook input priority 0; policy accept;\n  }\n}\n",
        );
    }
    dir
}

fn run(dir: &Path) -> BenchmarkReport {
    host::run(&HostFacts::new(Root::new(dir), &[]))
}

#[test]
fn hardened_host_passes() {
    let dir = tree(true);
    let report = run(dir.path());
    let bad: Vec<_> = report
        .results
        .iter()
        .filter(|r| r.status != Status::Pass)
        .map(|r| (&r.id, &r.evidence))
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
    assert_eq!(report.results.len(), 20);
}

#[test]
fn neglected_host_check_by_check() {
    let dir = tree(false);
    let report = run(dir.path());
    assert_eq!(
        statuses(&report),
        "KH101:F KH102:F KH103:F KH104:F KH105:F KH106:P KH107:F KH201:F KH202:F KH203:F \
         KH204:F KH205:W KH301:F KH302:F KH401:F KH501:F KH502:F KH503:F KH601:F KH701:F"
    );
    let get = |id: &str| report.results.iter().find(|r| r.id == id).unwrap();
    // The main file's `PermitRootLogin yes` counts: the drop-in does not set it.
    let root_login = &get("KH101").evidence[0];
    assert_eq!(
        (root_login.file.as_deref(), root_login.line),
        (Some("/etc/ssh/sshd_config"), Some(2))
    );
    // A Match block that turns passwords back on is found even though the
    // global value comes from the main file.
    let password = &get("KH102").evidence;
    assert!(
        password.iter().any(|e| e.note.contains("Match User deploy")
            && e.file.as_deref() == Some("/etc/ssh/sshd_config.d/10-site.conf")),
        "{password:?}"
    );
    assert!(
        get("KH103")
            .evidence
            .iter()
            .any(|e| e.note.contains("Match User deploy"))
    );
    assert!(get("KH104").evidence[0].value.as_deref() == Some("10"));
    assert!(get("KH201").evidence[0].note.contains("toor"));
    let empty = &get("KH202").evidence;
    assert_eq!(empty.len(), 1);
    assert!(empty[0].note.contains("guest"));
    assert!(
        get("KH203")
            .evidence
            .iter()
            .any(|e| e.note.contains("backup (UID 34)"))
    );
    // sudo: includedir read, files with a dot skipped.
    let nopasswd = &get("KH204").evidence;
    assert_eq!(nopasswd.len(), 1, "{nopasswd:?}");
    assert_eq!(nopasswd[0].file.as_deref(), Some("/etc/sudoers.d/ci"));
    let all = &get("KH205").evidence;
    assert!(
        all.iter().any(|e| e.note.starts_with("alice"))
            && all.iter().any(|e| e.note.starts_with("ci"))
    );
    let modules: Vec<&str> = get("KH301")
        .evidence
        .iter()
        .map(|e| e.note.as_str())
        .collect();
    assert_eq!(
        modules,
        [
            "cramfs is not disabled",
            "freevxfs is not disabled",
            "hfs is not disabled"
        ]
    );
    assert_eq!(get("KH302").evidence[0].note, "sctp is loaded");
    // Ports: the database and the read-only port, each with its process;
    // the kubelet's loopback health port is not reported.
    let ports: Vec<&str> = get("KH401")
        .evidence
        .iter()
        .map(|e| e.note.as_str())
        .collect();
    assert_eq!(
        ports,
        [
            "tcp 0.0.0.0:3306 (mysqld, pid 1200) is not an expected port",
            "tcp 0.0.0.0:10255 (kubelet, pid 900) is not an expected port",
        ]
    );
    assert!(
        get("KH502").evidence[0]
            .note
            .contains("0 profiles enforced, 1 in complain mode")
    );
    let services: Vec<&str> = get("KH601")
        .evidence
        .iter()
        .map(|e| e.note.as_str())
        .collect();
    assert_eq!(services.len(), 2);
    // Secrets are never in the evidence: no password hash appears.
    assert!(!format!("{:?}", report.results).contains("$y$"));
}

#[test]
fn allowed_ports_extend_the_allowlist() {
    let dir = tree(false);
    let report = host::run(&HostFacts::new(
        Root::new(dir.path()),
        &[(3306, 3306), (10255, 10255)],
    ));
    assert_eq!(
        report
            .results
            .iter()
            .find(|r| r.id == "KH401")
            .unwrap()
            .status,
        Status::Pass
    );
}

#[test]
fn every_host_check_is_documented() {
    for c in host::all() {
        assert!(
            !c.meta.summary().is_empty() && !c.meta.remediation().is_empty(),
            "{}",
            c.meta.id
        );
        assert!(host::find(c.meta.slug).is_some());
    }
}
