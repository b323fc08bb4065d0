//! Listening sockets from `/proc/net/{tcp,tcp6,udp,udp6}`, with the process
//! that owns each (socket inode → `/proc/PID/fd/N` → `socket:[inode]`).

use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::root::{Root, Unreadable};

/// A listening socket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listener {
    pub protocol: &'static str,
    pub address: String,
    pub port: u16,
    pub inode: u64,
    /// `(pid, program)` of the owning process, when found.
    pub owner: Option<(u32, String)>,
}

impl Listener {
    /// Whether only this host can reach it (loopback).
    pub fn is_loopback(&self) -> bool {
        self.address.starts_with("127.") || self.address == "::1"
    }
}

/// Most lines read from one `/proc/net` table.
const MAX_SOCKETS: usize = 200_000;

fn ipv4(hex: &str) -> Option<String> {
    let n = u32::from_str_radix(hex, 16).ok()?;
    // The kernel prints the address in host byte order (little-endian here).
    Some(Ipv4Addr::from(n.swap_bytes()).to_string())
}

fn ipv6(hex: &str) -> Option<String> {
    // ASCII first: slicing at byte 8 must not land inside a character.
    if hex.len() != 32 || !hex.is_ascii() {
        return None;
    }
    let mut bytes = [0u8; 16];
    for word in 0..4 {
        let n = u32::from_str_radix(&hex[word * 8..word * 8 + 8], 16).ok()?;
        bytes[word * 4..word * 4 + 4].copy_from_slice(&n.swap_bytes().to_be_bytes());
    }
    Some(Ipv6Addr::from(bytes).to_string())
}

/// Parses one `/proc/net` table; `listening` is the state to keep
/// (`0A` LISTEN for TCP, `07` CLOSE for unconnected UDP).
pub fn parse_table(text: &str, protocol: &'static str, listening: &str) -> Vec<Listener> {
    let v6 = protocol.ends_with('6');
    text.lines()
        .skip(1)
        .take(MAX_SOCKETS)
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() < 10 || f[3] != listening {
                return None;
            }
            let (addr, port) = f[1].split_once(':')?;
            let address = if v6 { ipv6(addr)? } else { ipv4(addr)? };
            Some(Listener {
                protocol,
                address,
                port: u16::from_str_radix(port, 16).ok()?,
                inode: f[9].parse().ok()?,
                owner: None,
            })
        })
        .collect()
}

/// The listening sockets of the tables that could be read.
#[derive(Debug, Default)]
pub struct Listeners {
    pub sockets: Vec<Listener>,
    /// Tables that exist but could not be read.
    pub unreadable: Vec<Unreadable>,
}

/// Every listening socket, with its owner.
pub(super) fn listeners(root: &Root) -> Listeners {
    let mut out = Listeners::default();
    for (file, protocol, state) in [
        ("/proc/net/tcp", "tcp", "0A"),
        ("/proc/net/tcp6", "tcp6", "0A"),
        ("/proc/net/udp", "udp", "07"),
        ("/proc/net/udp6", "udp6", "07"),
    ] {
        match root.read_existing(file) {
            Ok(text) => out
                .sockets
                .extend(parse_table(&text.unwrap_or_default(), protocol, state)),
            Err(e) => out.unreadable.push(e),
        }
    }
    let owners = socket_owners(root);
    for l in &mut out.sockets {
        l.owner = owners.get(&l.inode).cloned();
    }
    out
}

/// Socket inode → (pid, program), from every process's open files.
fn socket_owners(root: &Root) -> HashMap<u64, (u32, String)> {
    let mut map = HashMap::new();
    for name in root.list("/proc") {
        let Ok(pid) = name.parse::<u32>() else {
            continue;
        };
        let fd_dir = format!("/proc/{pid}/fd");
        let fds = root.list(&fd_dir);
        if fds.is_empty() {
            continue;
        }
        let program = root
            .read_opt(&format!("/proc/{pid}/comm"))
            .map(|c| c.trim().to_owned())
            .unwrap_or_else(|| "?".into());
        for fd in fds {
            let Some(target) = root.read_link(&format!("{fd_dir}/{fd}")) else {
                continue;
            };
            if let Some(inode) = target
                .strip_prefix("socket:[")
                .and_then(|t| t.strip_suffix(']'))
                .and_then(|i| i.parse().ok())
            {
                map.entry(inode).or_insert_with(|| (pid, program.clone()));
            }
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables() {
        let tcp = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0\n   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 222 1\n   2: 0100007F:0CEA 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 0 1\n";
        let l = parse_table(tcp, "tcp", "0A");
        assert_eq!(l.len(), 2);
        assert_eq!(
            (l[0].address.as_str(), l[0].port, l[0].inode),
            ("127.0.0.1", 3306, 12345)
        );
        assert!(l[0].is_loopback());
        assert_eq!((l[1].address.as_str(), l[1].port), ("0.0.0.0", 22));
        let tcp6 = "header\n   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 999 1\n";
        let l = parse_table(tcp6, "tcp6", "0A");
        assert_eq!((l[0].address.as_str(), l[0].port), ("::1", 8080));
        // A tree's file can hold anything: 32 bytes with a two-byte
        // character across a word boundary is refused, not a panic.
        let crafted = format!(
            "header\n   0: 0000000\u{e9}00000000000000000000000:1F90 {} 0A 0 0 0 0 0 999 1\n",
            "0".repeat(32)
        );
        assert!(parse_table(&crafted, "tcp6", "0A").is_empty());
    }
}
