//! What `/proc` says about a process: names, command line, identities,
//! terminal, session, capabilities, and its ancestors. Reads are bounded.

use std::collections::HashMap;
use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use nix::unistd::{Gid, Group, Uid, User};

use kubeward_falco::event::{Ancestor, Process};

/// Longest /proc file read (a command line or an environment).
const MAX_PROC_FILE: u64 = 64 * 1024;

fn read(path: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(MAX_PROC_FILE)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

fn read_text(path: &str) -> Option<String> {
    read(path).map(|b| String::from_utf8_lossy(&b).into_owned())
}

fn link(path: &str) -> Option<String> {
    std::fs::read_link(path)
        .ok()
        .map(|p| p.to_string_lossy().into_owned())
}

/// Names of users and groups, looked up once each.
#[derive(Debug, Default)]
pub struct Names {
    users: HashMap<u32, Option<String>>,
    groups: HashMap<u32, Option<String>>,
}

impl Names {
    /// The user's name, or the number when it has none.
    pub fn user(&mut self, uid: u32) -> String {
        self.known_user(uid).unwrap_or_else(|| uid.to_string())
    }

    /// The group's name, or the number when it has none.
    pub fn group(&mut self, gid: u32) -> String {
        self.known_group(gid).unwrap_or_else(|| gid.to_string())
    }

    pub fn known_user(&mut self, uid: u32) -> Option<String> {
        self.users
            .entry(uid)
            .or_insert_with(|| {
                User::from_uid(Uid::from_raw(uid))
                    .ok()
                    .flatten()
                    .map(|u| u.name)
            })
            .clone()
    }

    pub fn known_group(&mut self, gid: u32) -> Option<String> {
        self.groups
            .entry(gid)
            .or_insert_with(|| {
                Group::from_gid(Gid::from_raw(gid))
                    .ok()
                    .flatten()
                    .map(|g| g.name)
            })
            .clone()
    }
}

const CAPABILITIES: &[&str] = &[
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
];

fn capabilities(hex: &str) -> String {
    let bits = u64::from_str_radix(hex.trim(), 16).unwrap_or(0);
    CAPABILITIES
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, n)| *n)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Boot time in ns since the epoch (process start times count from boot).
fn boot_ns() -> u64 {
    read_text("/proc/stat")
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("btime ")
                    .and_then(|v| v.trim().parse::<u64>().ok())
            })
        })
        .unwrap_or(0)
        * 1_000_000_000
}

/// The fields of `/proc/PID/stat` after the command name.
fn stat_fields(pid: i64) -> Option<Vec<String>> {
    let text = read_text(&format!("/proc/{pid}/stat"))?;
    let after = &text[text.rfind(')')? + 2..];
    Some(after.split_whitespace().map(str::to_owned).collect())
}

/// Reads a process (identity, command, terminal …) from /proc; its
/// ancestors are filled in by the caller.
pub fn read_process(pid: i64, names: &mut Names) -> Option<Process> {
    let status = read_text(&format!("/proc/{pid}/status"))?;
    let field = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key).map(|v| v.trim().to_owned()))
            .unwrap_or_default()
    };
    let ids = |key: &str, i: usize| -> u32 {
        field(key)
            .split_whitespace()
            .nth(i)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    let argv: Vec<String> = read(&format!("/proc/{pid}/cmdline"))
        .unwrap_or_default()
        .split(|&b| b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    let stat = stat_fields(pid).unwrap_or_default();
    let stat_num = |i: usize| stat.get(i).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let uid = ids("Uid:", 1);
    let gid = ids("Gid:", 1);
    let loginuid = read_text(&format!("/proc/{pid}/loginuid"))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(-1, |v| {
            if v == u64::from(u32::MAX) {
                -1
            } else {
                i64::try_from(v).unwrap_or(-1)
            }
        });
    let sid = stat_num(3);
    let ticks = u64::try_from(stat_num(19)).unwrap_or(0);
    let mut process = Process {
        pid,
        tid: pid,
        ppid: field("PPid:").parse().unwrap_or(0),
        vpid: field("NSpid:")
            .split_whitespace()
            .last()
            .and_then(|v| v.parse().ok())
            .unwrap_or(pid),
        sid,
        name: field("Name:"),
        exe: argv.first().cloned().unwrap_or_default(),
        exepath: link(&format!("/proc/{pid}/exe")).unwrap_or_default(),
        args: argv.iter().skip(1).cloned().collect(),
        cwd: link(&format!("/proc/{pid}/cwd")).unwrap_or_default(),
        tty: u64::try_from(stat_num(4)).unwrap_or(0),
        uid,
        gid,
        loginuid,
        user_name: names.user(uid),
        group_name: names.group(gid),
        login_name: u32::try_from(loginuid).map_or_else(|_| String::new(), |l| names.user(l)),
        env: read(&format!("/proc/{pid}/environ"))
            .unwrap_or_default()
            .split(|&b| b == 0)
            .filter(|a| !a.is_empty())
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect(),
        start_ns: boot_ns() + ticks * 10_000_000,
        session_name: read_text(&format!("/proc/{sid}/comm"))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default(),
        cap_effective: capabilities(&field("CapEff:")),
        cap_permitted: capabilities(&field("CapPrm:")),
        exe_from_memfd: link(&format!("/proc/{pid}/exe")).is_some_and(|e| e.starts_with("/memfd:")),
        ancestors: Arc::from(Vec::new()),
        cmdline: String::new(),
        args_text: String::new(),
    };
    process.set_command_line();
    Some(process)
}

/// The ancestors of `pid` as /proc shows them, parent first.
pub fn read_ancestors(pid: i64) -> Arc<[Ancestor]> {
    let mut out = Vec::new();
    let mut names = Names::default();
    let mut next = read_process(pid, &mut names).map_or(0, |p| p.ppid);
    while next > 0 && out.len() < 64 {
        let Some(p) = read_process(next, &mut names) else {
            break;
        };
        next = p.ppid;
        out.push(p.as_ancestor());
    }
    out.into()
}

/// The thread group a thread belongs to.
pub fn thread_group(tid: i64) -> Option<i64> {
    read_text(&format!("/proc/{tid}/status"))?
        .lines()
        .find_map(|l| l.strip_prefix("Tgid:").and_then(|v| v.trim().parse().ok()))
}

/// The target of `/proc/PID/fd/FD`.
pub fn fd_target(pid: i64, fd: i64) -> Option<String> {
    link(&format!("/proc/{pid}/fd/{fd}"))
}

/// The local and remote addresses of a TCP or UDP socket fd, as the kernel
/// has them (/proc/PID/net/{tcp,udp}{,6}). The remote address is `None`
/// while the socket is not connected.
pub fn socket_endpoints(pid: i64, fd: i64) -> Option<(SocketAddr, Option<SocketAddr>)> {
    let target = fd_target(pid, fd)?;
    let inode = target.strip_prefix("socket:[")?.strip_suffix(']')?;
    for table in ["tcp", "udp", "tcp6", "udp6"] {
        let text = read_text(&format!("/proc/{pid}/net/{table}"))?;
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            if cols.get(9) == Some(&inode) {
                let local = parse_hex_address(cols.get(1)?)?;
                let remote = cols
                    .get(2)
                    .and_then(|r| parse_hex_address(r))
                    .filter(|r| r.port() != 0);
                return Some((local, remote));
            }
        }
    }
    None
}

/// The local address of a socket fd.
pub fn socket_local_address(pid: i64, fd: i64) -> Option<SocketAddr> {
    socket_endpoints(pid, fd).map(|(local, _)| local)
}

fn parse_hex_address(text: &str) -> Option<SocketAddr> {
    let (addr, port) = text.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let ip = match addr.len() {
        8 => IpAddr::V4(Ipv4Addr::from(
            u32::from_str_radix(addr, 16).ok()?.swap_bytes(),
        )),
        // ASCII only: slicing at byte 8 must not land inside a character.
        32 if addr.is_ascii() => {
            let mut bytes = [0u8; 16];
            for (i, chunk) in bytes.chunks_mut(4).enumerate() {
                let word = u32::from_str_radix(&addr[i * 8..i * 8 + 8], 16).ok()?;
                chunk.copy_from_slice(&word.swap_bytes().to_be_bytes());
            }
            IpAddr::V6(Ipv6Addr::from(bytes))
        }
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_process() {
        let mut names = Names::default();
        let me = read_process(i64::from(std::process::id()), &mut names).unwrap();
        assert!(!me.name.is_empty());
        assert!(me.exepath.starts_with('/'));
        assert!(!read_ancestors(i64::from(std::process::id())).is_empty());
        assert_eq!(
            parse_hex_address("0100007F:1F90"),
            Some("127.0.0.1:8080".parse().unwrap())
        );
        let crafted = format!("0000000\u{e9}{}:1F90", "0".repeat(23));
        assert_eq!(parse_hex_address(&crafted), None);
        assert_eq!(capabilities("3"), "CAP_CHOWN CAP_DAC_OVERRIDE");
    }
}
