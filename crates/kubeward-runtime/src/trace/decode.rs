//! Turns a finished syscall (number, raw arguments, return value) into event
//! arguments and the file descriptor it acted on, keeping the process's fd
//! table and working directory up to date.

use std::borrow::Cow;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use kubeward_core::path::lexical_absolute;
use syscalls::Sysno;

use super::memory::{MAX_STRING, read_bytes, read_string};
use super::procfs;
use kubeward_falco::event::{Arg, ArgName, Fd, FdKind, L4Proto, NetTuple, Process};

const AT_FDCWD: i64 = -100;
const EINPROGRESS: i64 = 115;

/// A traced process: what events show of it, and its open fds.
#[derive(Clone, Debug)]
pub(crate) struct ProcState {
    pub process: Process,
    pub fds: HashMap<i64, Fd>,
}

/// What a syscall decodes to.
#[derive(Debug, Default)]
pub(crate) struct Decoded {
    pub args: Vec<Arg<'static>>,
    pub fd: Option<Fd>,
}

const OPEN_FLAGS: &[(i64, &str)] = &[
    (0o100, "O_CREAT"),
    (0o200, "O_EXCL"),
    (0o400, "O_NOCTTY"),
    (0o1000, "O_TRUNC"),
    (0o2000, "O_APPEND"),
    (0o4000, "O_NONBLOCK"),
    (0o10000, "O_DSYNC"),
    (0o40000, "O_DIRECT"),
    (0o100000, "O_LARGEFILE"),
    (0o200000, "O_DIRECTORY"),
    (0o400000, "O_NOFOLLOW"),
    (0o1000000, "O_NOATIME"),
    (0o2000000, "O_CLOEXEC"),
    (0o4000000, "O_SYNC"),
    (0o10000000, "O_PATH"),
    (0o20000000, "O_TMPFILE"),
];

/// `O_WRONLY|O_CREAT|O_TRUNC`, as Falco renders open flags.
pub(crate) fn open_flags(flags: i64) -> String {
    let mut names = vec![match flags & 0o3 {
        0 => "O_RDONLY",
        1 => "O_WRONLY",
        _ => "O_RDWR",
    }];
    names.extend(
        OPEN_FLAGS
            .iter()
            .filter(|(bit, _)| flags & bit == *bit)
            .map(|(_, n)| *n),
    );
    names.join("|")
}

/// Permission bits as libsinsp names them, lowest first.
const MODE_BITS: &[(u64, &str)] = &[
    (0o1, "S_IXOTH"),
    (0o2, "S_IWOTH"),
    (0o4, "S_IROTH"),
    (0o10, "S_IXGRP"),
    (0o20, "S_IWGRP"),
    (0o40, "S_IRGRP"),
    (0o100, "S_IXUSR"),
    (0o200, "S_IWUSR"),
    (0o400, "S_IRUSR"),
    (0o1000, "S_ISVTX"),
    (0o2000, "S_ISGID"),
    (0o4000, "S_ISUID"),
];

/// A chmod mode: `S_IXOTH|…|S_ISUID` for rules, the bits as the raw value.
/// A mode with no bit set shows its number in octal (`0`), as libsinsp does.
fn chmod_mode(mode: u64) -> Arg<'static> {
    let bits = mode & 0o7777;
    let names: Vec<&str> = MODE_BITS
        .iter()
        .filter(|(bit, _)| bits & bit != 0)
        .map(|(_, name)| *name)
        .collect();
    let shown = if names.is_empty() {
        format!("{bits:#o}")
    } else {
        names.join("|")
    };
    Arg::flags(ArgName::MODE, shown, as_i64(bits))
}

/// A user or group id argument: its name (`<NA>` when the id has none,
/// `<NONE>` for -1, which leaves the id unchanged), the number as raw value.
fn id_arg(name: ArgName, raw: u64, user: bool, names: &mut procfs::Names) -> Arg<'static> {
    let id = raw as u32;
    if id == u32::MAX {
        return Arg::flags(name, "<NONE>", -1);
    }
    let shown = if user {
        names.known_user(id)
    } else {
        names.known_group(id)
    };
    Arg::flags(
        name,
        shown.unwrap_or_else(|| "<NA>".to_owned()),
        i64::from(id),
    )
}

fn ptrace_request(request: i64) -> Cow<'static, str> {
    Cow::Borrowed(match request {
        0 => "PTRACE_TRACEME",
        1 => "PTRACE_PEEKTEXT",
        2 => "PTRACE_PEEKDATA",
        3 => "PTRACE_PEEKUSR",
        4 => "PTRACE_POKETEXT",
        5 => "PTRACE_POKEDATA",
        6 => "PTRACE_POKEUSR",
        7 => "PTRACE_CONT",
        8 => "PTRACE_KILL",
        9 => "PTRACE_SINGLESTEP",
        12 => "PTRACE_GETREGS",
        13 => "PTRACE_SETREGS",
        16 => "PTRACE_ATTACH",
        17 => "PTRACE_DETACH",
        24 => "PTRACE_SYSCALL",
        0x4200 => "PTRACE_SETOPTIONS",
        0x4206 => "PTRACE_SEIZE",
        0x4207 => "PTRACE_INTERRUPT",
        _ => return Cow::Owned(request.to_string()),
    })
}

fn family_name(domain: i64) -> &'static str {
    match domain {
        1 => "AF_UNIX",
        2 => "AF_INET",
        10 => "AF_INET6",
        16 => "AF_NETLINK",
        17 => "AF_PACKET",
        _ => "AF_UNKNOWN",
    }
}

fn as_i64(v: u64) -> i64 {
    v as i64
}

/// A socket address read from the tracee.
fn sockaddr(pid: i64, addr: u64, len: u64) -> Option<(FdKind, Option<SocketAddr>, String)> {
    let bytes = read_bytes(pid, addr, usize::try_from(len.min(128)).ok()?)?;
    let family = u16::from_ne_bytes([*bytes.first()?, *bytes.get(1)?]);
    let port = || bytes.get(2..4).map(|p| u16::from_be_bytes([p[0], p[1]]));
    match family {
        2 => {
            let ip = Ipv4Addr::new(
                *bytes.get(4)?,
                *bytes.get(5)?,
                *bytes.get(6)?,
                *bytes.get(7)?,
            );
            let a = SocketAddr::new(IpAddr::V4(ip), port()?);
            Some((FdKind::Ipv4, Some(a), a.to_string()))
        }
        10 => {
            let raw: [u8; 16] = bytes.get(8..24)?.try_into().ok()?;
            let a = SocketAddr::new(IpAddr::V6(Ipv6Addr::from(raw)), port()?);
            Some((FdKind::Ipv6, Some(a), a.to_string()))
        }
        1 => {
            let path = bytes.get(2..).unwrap_or_default();
            let end = memchr::memchr(0, path).unwrap_or(path.len());
            Some((
                FdKind::Unix,
                None,
                String::from_utf8_lossy(&path[..end]).into_owned(),
            ))
        }
        _ => None,
    }
}

/// What an fd the tracer did not see opened is, from /proc.
pub(crate) fn fd_from_proc(pid: i64, num: i64) -> Option<Fd> {
    let target = procfs::fd_target(pid, num)?;
    let kind = if target.starts_with("pipe:") {
        FdKind::Pipe
    } else if target.starts_with("socket:") {
        FdKind::Unknown
    } else if let Some(anon) = target.strip_prefix("anon_inode:") {
        match anon.trim_matches(['[', ']']) {
            "eventfd" => FdKind::Event,
            "eventpoll" => FdKind::Eventpoll,
            "inotify" => FdKind::Inotify,
            "signalfd" => FdKind::Signalfd,
            "timerfd" => FdKind::Timerfd,
            "bpf-map" | "bpf-prog" => FdKind::Bpf,
            _ => FdKind::Unknown,
        }
    } else if target.starts_with("/memfd:") {
        FdKind::Memfd
    } else if std::fs::metadata(&target).is_ok_and(|m| m.is_dir()) {
        FdKind::Directory
    } else {
        FdKind::File
    };
    Some(Fd {
        num,
        kind,
        name: target.clone(),
        name_raw: target,
        net: None,
    })
}

impl ProcState {
    fn fd(&mut self, num: i64) -> Option<Fd> {
        if num < 0 {
            return None;
        }
        if !self.fds.contains_key(&num) {
            let fd = fd_from_proc(self.process.pid, num)?;
            self.fds.insert(num, fd);
        }
        self.fds.get(&num).cloned()
    }

    /// An absolute, normalised path for `path` relative to `dirfd`.
    fn resolve(&mut self, dirfd: i64, path: &str) -> String {
        if path.starts_with('/') {
            return lexical_absolute(path);
        }
        let base = if dirfd == AT_FDCWD {
            self.process.cwd.clone()
        } else {
            self.fd(dirfd).map(|f| f.name).unwrap_or_default()
        };
        lexical_absolute(&format!("{base}/{path}"))
    }

    fn path_arg(&mut self, pid: i64, dirfd: i64, addr: u64) -> (String, String) {
        let raw = read_string(pid, addr, MAX_STRING).unwrap_or_default();
        let resolved = self.resolve(dirfd, &raw);
        (resolved, raw)
    }
}

/// Decodes syscall `nr` that returned `ret`. `filename` is the path an
/// `execve` was given (read at entry, before the memory was replaced);
/// `names` is the tracer's cache of user and group names.
pub(crate) fn decode(
    state: &mut ProcState,
    nr: Sysno,
    a: [u64; 6],
    ret: i64,
    filename: Option<&str>,
    names: &mut procfs::Names,
) -> Decoded {
    let pid = state.process.pid;
    let mut out = Decoded::default();
    let text = |name: ArgName, s: String| Arg::text(name, s);
    match nr {
        Sysno::open | Sysno::openat | Sysno::openat2 | Sysno::creat => {
            let (dirfd, path, flags, mode) = match nr {
                Sysno::open => (AT_FDCWD, a[0], as_i64(a[1]), as_i64(a[2])),
                Sysno::creat => (AT_FDCWD, a[0], 0o1101, as_i64(a[1])),
                Sysno::openat => (as_i64(a[0]) as i32 as i64, a[1], as_i64(a[2]), as_i64(a[3])),
                _ => {
                    let how = read_bytes(pid, a[2], 16).unwrap_or_default();
                    let word = |i: usize| {
                        how.get(i..i + 8)
                            .map_or(0, |b| i64::from_ne_bytes(b.try_into().unwrap_or([0; 8])))
                    };
                    (as_i64(a[0]) as i32 as i64, a[1], word(0), word(8))
                }
            };
            let (name, raw) = state.path_arg(pid, dirfd, path);
            let fd = Fd::file(
                if ret >= 0 { ret } else { -1 },
                name.clone(),
                raw,
                flags & 0o200000 != 0,
            );
            if ret >= 0 {
                state.fds.insert(ret, fd.clone());
            }
            out.args = vec![
                Arg::int(ArgName::FD, ret),
                text(ArgName::NAME, name),
                Arg::flags(ArgName::FLAGS, open_flags(flags), flags),
                Arg::int(ArgName::MODE, mode),
            ];
            out.fd = Some(fd);
        }
        Sysno::socket => {
            let (domain, kind) = (as_i64(a[0]), as_i64(a[1]) & 0xf);
            let fd_kind = match domain {
                1 => FdKind::Unix,
                2 => FdKind::Ipv4,
                10 => FdKind::Ipv6,
                16 => FdKind::Netlink,
                _ => FdKind::Unknown,
            };
            let proto = match kind {
                1 => L4Proto::Tcp,
                2 => L4Proto::Udp,
                _ => L4Proto::Raw,
            };
            out.args = vec![
                text(ArgName::DOMAIN, family_name(domain).to_owned()),
                Arg::int(ArgName::TYPE, kind),
                Arg::int(ArgName::PROTO, as_i64(a[2])),
            ];
            if ret >= 0 {
                let fd = Fd {
                    num: ret,
                    kind: fd_kind,
                    name: String::new(),
                    name_raw: String::new(),
                    net: fd_kind.is_inet().then_some(NetTuple {
                        proto,
                        client: None,
                        server: None,
                        local_is_server: false,
                        connected: false,
                    }),
                };
                state.fds.insert(ret, fd.clone());
                out.fd = Some(fd);
            }
        }
        Sysno::connect | Sysno::bind => {
            let num = as_i64(a[0]);
            let peer = sockaddr(pid, a[1], a[2]);
            let mut fd = state.fd(num).unwrap_or(Fd {
                num,
                kind: FdKind::Unknown,
                name: String::new(),
                name_raw: String::new(),
                net: None,
            });
            if let Some((kind, addr, shown)) = &peer {
                fd.kind = *kind;
                let ok = ret == 0 || ret == -EINPROGRESS;
                match (kind.is_inet(), nr) {
                    (true, Sysno::connect) if ok => {
                        let mut net = fd.net.unwrap_or(NetTuple {
                            proto: L4Proto::Tcp,
                            client: None,
                            server: None,
                            local_is_server: false,
                            connected: false,
                        });
                        net.server = *addr;
                        net.client = procfs::socket_local_address(pid, num);
                        net.local_is_server = false;
                        net.connected = true;
                        fd.name = net.render();
                        fd.net = Some(net);
                    }
                    (true, Sysno::bind) if ret == 0 => {
                        let mut net = fd.net.unwrap_or(NetTuple {
                            proto: L4Proto::Tcp,
                            client: None,
                            server: None,
                            local_is_server: true,
                            connected: false,
                        });
                        // For port 0, the kernel's address: it has the port it picked.
                        net.server = match *addr {
                            Some(a) if a.port() != 0 => Some(a),
                            _ => procfs::socket_local_address(pid, num).or(*addr),
                        };
                        net.local_is_server = true;
                        fd.name = shown.clone();
                        fd.net = Some(net);
                    }
                    (false, _) if ok => fd.name = shown.clone(),
                    _ => {}
                }
                out.args.push(text(
                    if nr == Sysno::connect {
                        ArgName::TUPLE
                    } else {
                        ArgName::ADDR
                    },
                    shown.clone(),
                ));
            }
            out.args.insert(0, Arg::int(ArgName::FD, num));
            state.fds.insert(num, fd.clone());
            out.fd = Some(fd);
        }
        Sysno::listen => {
            out.args = vec![
                Arg::int(ArgName::FD, as_i64(a[0])),
                Arg::int(ArgName::BACKLOG, as_i64(a[1])),
            ];
            let num = as_i64(a[0]);
            let mut fd = state.fd(num);
            // A socket bound to port 0 has its port from here on (before
            // listen the kernel does not list a bound TCP socket).
            if let Some(fd) = fd.as_mut()
                && let Some(net) = fd.net.as_mut()
                && ret == 0
                && net.server.is_none_or(|s| s.port() == 0)
                && let Some(local) = procfs::socket_local_address(pid, num)
            {
                net.server = Some(local);
                net.local_is_server = true;
                fd.name = local.to_string();
                state.fds.insert(num, fd.clone());
            }
            out.fd = fd;
        }
        Sysno::accept | Sysno::accept4 => {
            let listening = state.fd(as_i64(a[0]));
            out.args = vec![Arg::int(ArgName::FD, ret)];
            if ret >= 0 {
                let len = read_bytes(pid, a[2], 4)
                    .map_or(0, |b| u32::from_ne_bytes(b.try_into().unwrap_or([0; 4])));
                let peer = sockaddr(pid, a[1], u64::from(len)).and_then(|p| p.1);
                // The new socket's own endpoints. The listener's address is
                // its local one unless the listener is bound to every address
                // (0.0.0.0) or port 0; then, or when the caller did not ask
                // for the peer's address, the kernel's tables say.
                let listener_server = listening
                    .as_ref()
                    .and_then(|l| l.net.and_then(|n| n.server));
                let exact = listener_server.filter(|s| !s.ip().is_unspecified() && s.port() != 0);
                let (local, remote) = match (exact, peer) {
                    (Some(server), Some(peer)) => (Some(server), Some(peer)),
                    _ => {
                        let (local, remote) = procfs::socket_endpoints(pid, ret)
                            .map_or((None, None), |(l, r)| (Some(l), r));
                        (local.or(listener_server), remote.or(peer))
                    }
                };
                let kind = listening.as_ref().map_or(FdKind::Unknown, |l| l.kind);
                let net = NetTuple {
                    proto: listening
                        .as_ref()
                        .and_then(|l| l.net)
                        .map_or(L4Proto::Tcp, |n| n.proto),
                    client: remote,
                    server: local,
                    local_is_server: true,
                    connected: true,
                };
                let fd = Fd {
                    num: ret,
                    kind,
                    name: if kind.is_inet() {
                        net.render()
                    } else {
                        listening.map(|l| l.name).unwrap_or_default()
                    },
                    name_raw: String::new(),
                    net: kind.is_inet().then_some(net),
                };
                out.args.push(text(ArgName::TUPLE, fd.name.clone()));
                state.fds.insert(ret, fd.clone());
                out.fd = Some(fd);
            }
        }
        Sysno::unlink | Sysno::rmdir => {
            let (path, _) = state.path_arg(pid, AT_FDCWD, a[0]);
            out.args = vec![Arg::int(ArgName::RES, ret), text(ArgName::PATH, path)];
        }
        Sysno::unlinkat => {
            let (name, _) = state.path_arg(pid, as_i64(a[0]) as i32 as i64, a[1]);
            out.args = vec![
                Arg::int(ArgName::RES, ret),
                Arg::int(ArgName::DIRFD, as_i64(a[0]) as i32 as i64),
                text(ArgName::NAME, name),
                Arg::int(ArgName::FLAGS, as_i64(a[2])),
            ];
        }
        Sysno::rename | Sysno::renameat | Sysno::renameat2 | Sysno::link | Sysno::linkat => {
            let (old, new) = if matches!(nr, Sysno::rename | Sysno::link) {
                (
                    state.path_arg(pid, AT_FDCWD, a[0]).0,
                    state.path_arg(pid, AT_FDCWD, a[1]).0,
                )
            } else {
                (
                    state.path_arg(pid, as_i64(a[0]) as i32 as i64, a[1]).0,
                    state.path_arg(pid, as_i64(a[2]) as i32 as i64, a[3]).0,
                )
            };
            out.args = vec![
                Arg::int(ArgName::RES, ret),
                text(ArgName::OLDPATH, old),
                text(ArgName::NEWPATH, new),
            ];
        }
        Sysno::symlink | Sysno::symlinkat => {
            let target = read_string(pid, a[0], MAX_STRING).unwrap_or_default();
            let (dirfd, link) = if nr == Sysno::symlink {
                (AT_FDCWD, a[1])
            } else {
                (as_i64(a[1]) as i32 as i64, a[2])
            };
            let (linkpath, _) = state.path_arg(pid, dirfd, link);
            out.args = vec![
                Arg::int(ArgName::RES, ret),
                text(ArgName::TARGET, target),
                text(ArgName::LINKPATH, linkpath),
            ];
        }
        Sysno::chmod | Sysno::fchmodat | Sysno::fchmod => {
            out.args.push(Arg::int(ArgName::RES, ret));
            let mode = match nr {
                Sysno::chmod => {
                    let (path, _) = state.path_arg(pid, AT_FDCWD, a[0]);
                    out.args.push(text(ArgName::FILENAME, path));
                    a[1]
                }
                Sysno::fchmodat => {
                    let dirfd = as_i64(a[0]) as i32 as i64;
                    let (path, _) = state.path_arg(pid, dirfd, a[1]);
                    out.args.push(Arg::int(ArgName::DIRFD, dirfd));
                    out.args.push(text(ArgName::FILENAME, path));
                    a[2]
                }
                _ => {
                    out.fd = state.fd(as_i64(a[0]));
                    out.args.push(Arg::int(ArgName::FD, as_i64(a[0])));
                    a[1]
                }
            };
            out.args.push(chmod_mode(mode));
        }
        Sysno::mkdir | Sysno::mkdirat => {
            out.args.push(Arg::int(ArgName::RES, ret));
            let (dirfd, path, mode) = if nr == Sysno::mkdir {
                (AT_FDCWD, a[0], a[1])
            } else {
                let dirfd = as_i64(a[0]) as i32 as i64;
                out.args.push(Arg::int(ArgName::DIRFD, dirfd));
                (dirfd, a[1], a[2])
            };
            let (path, _) = state.path_arg(pid, dirfd, path);
            out.args.push(text(ArgName::PATH, path));
            // A plain number shown in hex, as the event table declares it.
            let mode = mode & 0xffff_ffff;
            out.args
                .push(Arg::flags(ArgName::MODE, format!("{mode:X}"), as_i64(mode)));
        }
        Sysno::setuid
        | Sysno::setgid
        | Sysno::setresuid
        | Sysno::setresgid
        | Sysno::setreuid
        | Sysno::setregid => {
            let ids: &[ArgName] = match nr {
                Sysno::setuid => &[ArgName::UID],
                Sysno::setgid => &[ArgName::GID],
                Sysno::setresuid => &[ArgName::RUID, ArgName::EUID, ArgName::SUID],
                Sysno::setresgid => &[ArgName::RGID, ArgName::EGID, ArgName::SGID],
                Sysno::setreuid => &[ArgName::RUID, ArgName::EUID],
                _ => &[ArgName::RGID, ArgName::EGID],
            };
            // The event table types setregid's ids as user ids, so libsinsp
            // shows them as user names; so do we.
            let users = !matches!(nr, Sysno::setgid | Sysno::setresgid);
            out.args.push(Arg::int(ArgName::RES, ret));
            for (name, raw) in ids.iter().zip(a) {
                out.args.push(id_arg(*name, raw, users, names));
            }
            if ret == 0
                && let Some(fresh) = procfs::read_process(pid, names)
            {
                let p = &mut state.process;
                (p.uid, p.gid, p.user_name, p.group_name) =
                    (fresh.uid, fresh.gid, fresh.user_name, fresh.group_name);
                (p.cap_effective, p.cap_permitted) = (fresh.cap_effective, fresh.cap_permitted);
            }
        }
        Sysno::ptrace => {
            out.args = vec![
                Arg::int(ArgName::RES, ret),
                Arg::flags(ArgName::REQUEST, ptrace_request(as_i64(a[0])), as_i64(a[0])),
                Arg::int(ArgName::PID, as_i64(a[1])),
            ];
        }
        Sysno::mount => {
            out.args = vec![
                Arg::int(ArgName::RES, ret),
                text(
                    ArgName::DEV,
                    read_string(pid, a[0], MAX_STRING).unwrap_or_default(),
                ),
                text(
                    ArgName::DIR,
                    read_string(pid, a[1], MAX_STRING).unwrap_or_default(),
                ),
                text(
                    ArgName::TYPE,
                    read_string(pid, a[2], 256).unwrap_or_default(),
                ),
                Arg::int(ArgName::FLAGS, as_i64(a[3])),
            ];
        }
        Sysno::umount2 => {
            out.args = vec![
                Arg::int(ArgName::RES, ret),
                text(
                    ArgName::NAME,
                    read_string(pid, a[0], MAX_STRING).unwrap_or_default(),
                ),
            ];
        }
        Sysno::clone | Sysno::clone3 | Sysno::fork | Sysno::vfork => {
            out.args = vec![
                Arg::int(ArgName::RES, ret),
                Arg::flags(ArgName::FLAGS, format!("{:#x}", a[0]), as_i64(a[0])),
            ];
        }
        Sysno::execve | Sysno::execveat => {
            out.args = vec![
                Arg::int(ArgName::RES, ret),
                text(ArgName::FILENAME, filename.unwrap_or_default().to_owned()),
                text(ArgName::NAME, state.process.exepath.clone()),
            ];
        }
        Sysno::dup | Sysno::dup2 | Sysno::dup3 => {
            let old = state.fd(as_i64(a[0]));
            out.args = vec![
                Arg::int(ArgName::RES, ret),
                Arg::int(ArgName::FD, as_i64(a[0])),
            ];
            if let (Some(mut fd), true) = (old, ret >= 0) {
                fd.num = ret;
                state.fds.insert(ret, fd.clone());
                out.fd = Some(fd);
            }
        }
        Sysno::close => {
            out.fd = state.fds.remove(&as_i64(a[0]));
            out.args = vec![Arg::int(ArgName::FD, as_i64(a[0]))];
        }
        Sysno::chdir | Sysno::fchdir => {
            let path = if nr == Sysno::chdir {
                state.path_arg(pid, AT_FDCWD, a[0]).0
            } else {
                state.fd(as_i64(a[0])).map(|f| f.name).unwrap_or_default()
            };
            if ret == 0 {
                state.process.cwd = path.clone();
            }
            out.args = vec![Arg::int(ArgName::RES, ret), text(ArgName::PATH, path)];
        }
        Sysno::memfd_create => {
            out.args = vec![
                Arg::int(ArgName::FD, ret),
                text(
                    ArgName::NAME,
                    read_string(pid, a[0], 256).unwrap_or_default(),
                ),
                Arg::int(ArgName::FLAGS, as_i64(a[1])),
            ];
        }
        Sysno::bpf => {
            out.args = vec![
                Arg::int(ArgName::RES, ret),
                Arg::int(ArgName::CMD, as_i64(a[0])),
            ]
        }
        Sysno::read
        | Sysno::write
        | Sysno::pread64
        | Sysno::pwrite64
        | Sysno::readv
        | Sysno::writev
        | Sysno::sendto
        | Sysno::recvfrom
        | Sysno::sendmsg
        | Sysno::recvmsg
        | Sysno::ioctl
        | Sysno::fstat
        | Sysno::lseek
        | Sysno::fsync
        | Sysno::fchown
        | Sysno::getdents64 => {
            out.args = vec![
                Arg::int(ArgName::RES, ret),
                Arg::int(ArgName::FD, as_i64(a[0])),
            ];
            out.fd = state.fd(as_i64(a[0]));
        }
        _ => out.args = vec![Arg::int(ArgName::RES, ret)],
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_flags_and_paths() {
        assert_eq!(open_flags(0), "O_RDONLY");
        assert_eq!(open_flags(0o1101), "O_WRONLY|O_CREAT|O_TRUNC");
        assert_eq!(open_flags(0o2000002), "O_RDWR|O_CLOEXEC");
    }
}
