//! Syscall events: a process, the file descriptor the call acts on, and the
//! call's decoded arguments. Sources own the process and fd tables; events
//! borrow from them.

use std::borrow::Cow;
use std::net::SocketAddr;
use std::sync::Arc;

use super::EventType;

/// What is known about a process (thread group) when an event happens.
#[derive(Clone, Debug, Default)]
pub struct Process {
    pub pid: i64,
    pub tid: i64,
    pub ppid: i64,
    pub vpid: i64,
    pub sid: i64,
    /// The kernel's `comm` (at most 15 bytes).
    pub name: String,
    /// argv\[0\].
    pub exe: String,
    /// The executable's full path.
    pub exepath: String,
    /// Arguments after argv\[0\].
    pub args: Vec<String>,
    /// `name` and the arguments, joined by spaces.
    pub cmdline: String,
    /// The arguments joined by spaces.
    pub args_text: String,
    pub cwd: String,
    /// Controlling terminal (0 = none).
    pub tty: u64,
    pub uid: u32,
    pub gid: u32,
    /// Audit login uid; -1 when unset.
    pub loginuid: i64,
    pub user_name: String,
    pub group_name: String,
    pub login_name: String,
    pub env: Vec<String>,
    /// Start time, ns since the epoch.
    pub start_ns: u64,
    /// Name of the session leader.
    pub session_name: String,
    /// Capability sets rendered as `CAP_A CAP_B`.
    pub cap_effective: String,
    pub cap_permitted: String,
    pub exe_from_memfd: bool,
    /// Parent first, then grandparent, and so on.
    pub ancestors: Arc<[Ancestor]>,
}

impl Process {
    /// Fills `cmdline` and `args_text` from `name` and `args`.
    pub fn set_command_line(&mut self) {
        self.args_text = self.args.join(" ");
        self.cmdline = if self.args_text.is_empty() {
            self.name.clone()
        } else {
            format!("{} {}", self.name, self.args_text)
        };
    }

    /// This process as an ancestor of its children.
    pub fn as_ancestor(&self) -> Ancestor {
        Ancestor {
            pid: self.pid,
            name: self.name.clone(),
            exe: self.exe.clone(),
            exepath: self.exepath.clone(),
            cmdline: self.cmdline.clone(),
        }
    }

    /// The ancestor chain a child of this process has.
    pub fn lineage_for_child(&self) -> Arc<[Ancestor]> {
        std::iter::once(self.as_ancestor())
            .chain(self.ancestors.iter().cloned())
            .take(64)
            .collect()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ancestor {
    pub pid: i64,
    pub name: String,
    pub exe: String,
    pub exepath: String,
    pub cmdline: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FdKind {
    File,
    Directory,
    Ipv4,
    Ipv6,
    Unix,
    Pipe,
    Event,
    Signalfd,
    Eventpoll,
    Inotify,
    Timerfd,
    Netlink,
    Memfd,
    Bpf,
    Unknown,
}

impl FdKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::File => "file",
            Self::Directory => "directory",
            Self::Ipv4 => "ipv4",
            Self::Ipv6 => "ipv6",
            Self::Unix => "unix",
            Self::Pipe => "pipe",
            Self::Event => "event",
            Self::Signalfd => "signalfd",
            Self::Eventpoll => "eventpoll",
            Self::Inotify => "inotify",
            Self::Timerfd => "timerfd",
            Self::Netlink => "netlink",
            Self::Memfd => "memfd",
            Self::Bpf => "bpf",
            Self::Unknown => "unknown",
        }
    }

    /// Falco's one-character type.
    pub fn typechar(self) -> &'static str {
        match self {
            Self::File => "f",
            Self::Directory => "d",
            Self::Ipv4 => "4",
            Self::Ipv6 => "6",
            Self::Unix => "u",
            Self::Pipe => "p",
            Self::Event => "e",
            Self::Signalfd => "s",
            Self::Eventpoll => "l",
            Self::Inotify => "i",
            Self::Timerfd => "t",
            Self::Netlink => "n",
            Self::Memfd => "m",
            Self::Bpf => "b",
            Self::Unknown => "o",
        }
    }

    pub fn is_inet(self) -> bool {
        matches!(self, Self::Ipv4 | Self::Ipv6)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum L4Proto {
    Tcp,
    Udp,
    Icmp,
    Raw,
}

impl L4Proto {
    pub fn name(self) -> &'static str {
        match self {
            Self::Tcp => "tcp",
            Self::Udp => "udp",
            Self::Icmp => "icmp",
            Self::Raw => "raw",
        }
    }
}

/// The endpoints of a socket: the client is the side that connected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetTuple {
    pub proto: L4Proto,
    pub client: Option<SocketAddr>,
    pub server: Option<SocketAddr>,
    /// Whether this process's end is the server (it accepted or listens).
    pub local_is_server: bool,
    pub connected: bool,
}

impl NetTuple {
    pub fn local(&self) -> Option<SocketAddr> {
        if self.local_is_server {
            self.server
        } else {
            self.client
        }
    }

    pub fn remote(&self) -> Option<SocketAddr> {
        if self.local_is_server {
            self.client
        } else {
            self.server
        }
    }

    /// Falco's `fd.name` of a connection: `cip:cport->sip:sport`.
    pub fn render(&self) -> String {
        let show = |a: Option<SocketAddr>| match a {
            Some(SocketAddr::V6(a)) => format!("[{}]:{}", a.ip(), a.port()),
            Some(a) => a.to_string(),
            None => "0.0.0.0:0".to_owned(),
        };
        format!("{}->{}", show(self.client), show(self.server))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fd {
    pub num: i64,
    pub kind: FdKind,
    /// The path (normalised), the connection tuple, or a description.
    pub name: String,
    /// The path as the process passed it.
    pub name_raw: String,
    pub net: Option<NetTuple>,
}

impl Fd {
    pub fn file(num: i64, path: String, raw: String, directory: bool) -> Self {
        Self {
            num,
            kind: if directory {
                FdKind::Directory
            } else {
                FdKind::File
            },
            name: path,
            name_raw: raw,
            net: None,
        }
    }
}

/// Argument names rules can ask for with `evt.arg.NAME`, numbered so that a
/// compiled rule holds a number, not a string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ArgName(pub u8);

impl ArgName {
    pub const NAMES: &'static [&'static str] = &[
        "fd",
        "res",
        "name",
        "path",
        "flags",
        "mode",
        "dirfd",
        "filename",
        "oldpath",
        "newpath",
        "target",
        "linkpath",
        "request",
        "pid",
        "domain",
        "type",
        "proto",
        "uid",
        "gid",
        "dev",
        "dir",
        "tuple",
        "addr",
        "cmd",
        "data",
        "size",
        "olddirfd",
        "newdirfd",
        "linkdirfd",
        "backlog",
        "euid",
        "ruid",
        "suid",
        "egid",
        "rgid",
        "sgid",
        "sig",
        "args",
        "exe",
        "cwd",
        "ptid",
        "ino",
        "len",
        "nstype",
        "addr_len",
        "queuepercent",
        "newfd",
        "oldfd",
        "fstype",
        "source",
        "whence",
        "offset",
        "prot",
        "uid_gid",
        "res_or_fd",
    ];

    pub const FD: ArgName = ArgName(0);
    pub const RES: ArgName = ArgName(1);
    pub const NAME: ArgName = ArgName(2);
    pub const PATH: ArgName = ArgName(3);
    pub const FLAGS: ArgName = ArgName(4);
    pub const MODE: ArgName = ArgName(5);
    pub const DIRFD: ArgName = ArgName(6);
    pub const FILENAME: ArgName = ArgName(7);
    pub const OLDPATH: ArgName = ArgName(8);
    pub const NEWPATH: ArgName = ArgName(9);
    pub const TARGET: ArgName = ArgName(10);
    pub const LINKPATH: ArgName = ArgName(11);
    pub const REQUEST: ArgName = ArgName(12);
    pub const PID: ArgName = ArgName(13);
    pub const DOMAIN: ArgName = ArgName(14);
    pub const TYPE: ArgName = ArgName(15);
    pub const PROTO: ArgName = ArgName(16);
    pub const UID: ArgName = ArgName(17);
    pub const GID: ArgName = ArgName(18);
    pub const DEV: ArgName = ArgName(19);
    pub const DIR: ArgName = ArgName(20);
    pub const TUPLE: ArgName = ArgName(21);
    pub const ADDR: ArgName = ArgName(22);
    pub const CMD: ArgName = ArgName(23);
    pub const DATA: ArgName = ArgName(24);
    pub const BACKLOG: ArgName = ArgName(29);
    pub const EUID: ArgName = ArgName(30);
    pub const RUID: ArgName = ArgName(31);
    pub const SUID: ArgName = ArgName(32);
    pub const EGID: ArgName = ArgName(33);
    pub const RGID: ArgName = ArgName(34);
    pub const SGID: ArgName = ArgName(35);

    pub fn from_name(name: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .position(|n| *n == name)
            .and_then(|i| u8::try_from(i).ok())
            .map(Self)
    }

    pub fn name(self) -> &'static str {
        Self::NAMES.get(usize::from(self.0)).copied().unwrap_or("?")
    }
}

/// One decoded argument: its rendering (flags as `O_RDONLY|O_CLOEXEC`, paths
/// as text) and, for integers and flags, the raw value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arg<'a> {
    pub name: ArgName,
    pub text: Cow<'a, str>,
    pub raw: Option<i64>,
}

impl<'a> Arg<'a> {
    pub fn text(name: ArgName, text: impl Into<Cow<'a, str>>) -> Self {
        Self {
            name,
            text: text.into(),
            raw: None,
        }
    }

    pub fn int(name: ArgName, value: i64) -> Self {
        Self {
            name,
            text: Cow::Owned(value.to_string()),
            raw: Some(value),
        }
    }

    pub fn flags(name: ArgName, text: impl Into<Cow<'a, str>>, raw: i64) -> Self {
        Self {
            name,
            text: text.into(),
            raw: Some(raw),
        }
    }
}

/// One syscall (exit) event.
#[derive(Clone, Debug)]
pub struct SyscallEvent<'a> {
    /// Sequence number.
    pub num: u64,
    /// Time, ns since the epoch.
    pub ts: u64,
    pub etype: EventType,
    /// Return value (negative errno on failure).
    pub res: i64,
    pub process: &'a Process,
    /// The fd the call acted on or created.
    pub fd: Option<&'a Fd>,
    pub args: &'a [Arg<'a>],
}

impl SyscallEvent<'_> {
    pub fn arg(&self, name: ArgName) -> Option<&Arg<'_>> {
        self.args.iter().find(|a| a.name == name)
    }
}
