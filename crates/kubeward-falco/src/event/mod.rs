//! The events rules are evaluated against.
//!
//! A syscall event ([`SyscallEvent`]) borrows the process and file-descriptor
//! state its source keeps; nothing in it is specific to ptrace, so an eBPF
//! source can produce the same events. An audit event ([`AuditEvent`]) is one
//! `audit.k8s.io` Event.

pub mod audit;
pub mod syscall;

pub use audit::{AuditEvent, parse_audit_payload};
pub use syscall::{Ancestor, Arg, ArgName, Fd, FdKind, L4Proto, NetTuple, Process, SyscallEvent};

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// An event type (a syscall or one of Falco's non-syscall event names),
/// numbered densely so that sets of them are bit sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventType(pub u16);

/// Falco event names that are not syscalls of this architecture.
const EXTRA_EVENT_NAMES: &[&str] = &[
    "procexit",
    "signaldeliver",
    "switch",
    "container",
    "pluginevent",
    "asyncevent",
    "k8s",
    "mesos",
    "drop",
    "notification",
    "infra",
    "procinfo",
    "cpu_hotplug",
    "page_fault",
    "tracer",
    "sysdigevent",
    "scapevent",
    "meta",
    "socketcall",
    "recv",
    "send",
    "oldstat",
    "waitpid",
    "signal",
    "sigaction",
    "sigprocmask",
    "sigreturn",
    "umount",
    "mmap2",
    "fcntl64",
    "fstat64",
    "lstat64",
    "stat64",
    "fchown32",
    "chown32",
    "setuid32",
    "setgid32",
    "setresuid32",
    "setresgid32",
    "getuid32",
    "geteuid32",
    "getgid32",
    "getegid32",
    "llseek",
    "truncate64",
    "ftruncate64",
    "getdents64",
    "sendfile64",
    "statfs64",
    "fstatfs64",
    "prlimit",
    "ipc",
    "select",
    "pselect6",
];

/// Size of an [`EventTypeSet`] in bits.
pub const MAX_EVENT_TYPES: usize = 1024;

struct Table {
    names: Vec<&'static str>,
    by_name: FxHashMap<&'static str, u16>,
    /// Event type of each syscall number of this architecture.
    by_sysno: Vec<u16>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut names: Vec<&'static str> = Vec::new();
        let mut by_name = FxHashMap::default();
        let mut max_sysno = 0usize;
        let mut sysnos = Vec::new();
        let mut add = |name: &'static str, names: &mut Vec<&'static str>| -> u16 {
            *by_name.entry(name).or_insert_with(|| {
                names.push(name);
                u16::try_from(names.len() - 1).unwrap_or(u16::MAX)
            })
        };
        let mut id = syscalls::Sysno::first();
        loop {
            let ty = add(id.name(), &mut names);
            let number = usize::try_from(id.id()).unwrap_or(0);
            max_sysno = max_sysno.max(number);
            sysnos.push((number, ty));
            match id.next() {
                Some(next) => id = next,
                None => break,
            }
        }
        let last = syscalls::Sysno::last();
        let ty = add(last.name(), &mut names);
        let number = usize::try_from(last.id()).unwrap_or(0);
        max_sysno = max_sysno.max(number);
        sysnos.push((number, ty));
        for name in EXTRA_EVENT_NAMES {
            add(name, &mut names);
        }
        let mut by_sysno = vec![u16::MAX; max_sysno + 1];
        for (number, ty) in sysnos {
            by_sysno[number] = ty;
        }
        debug_assert!(names.len() <= MAX_EVENT_TYPES);
        Table {
            names,
            by_name,
            by_sysno,
        }
    })
}

impl EventType {
    pub fn from_name(name: &str) -> Option<Self> {
        table().by_name.get(name).map(|&i| Self(i))
    }

    /// The event type of a syscall number of this architecture.
    pub fn from_sysno(number: u64) -> Option<Self> {
        let table = table();
        usize::try_from(number)
            .ok()
            .and_then(|n| table.by_sysno.get(n))
            .filter(|&&t| t != u16::MAX)
            .map(|&t| Self(t))
    }

    pub fn name(self) -> &'static str {
        table()
            .names
            .get(usize::from(self.0))
            .copied()
            .unwrap_or("unknown")
    }

    pub fn count() -> usize {
        table().names.len()
    }
}

/// A set of event types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventTypeSet {
    bits: [u64; MAX_EVENT_TYPES / 64],
}

impl EventTypeSet {
    pub fn empty() -> Self {
        Self {
            bits: [0; MAX_EVENT_TYPES / 64],
        }
    }

    pub fn all() -> Self {
        let mut set = Self::empty();
        for i in 0..EventType::count() {
            set.insert(EventType(u16::try_from(i).unwrap_or(u16::MAX)));
        }
        set
    }

    pub fn insert(&mut self, t: EventType) {
        let i = usize::from(t.0);
        if let Some(word) = self.bits.get_mut(i / 64) {
            *word |= 1 << (i % 64);
        }
    }

    #[inline]
    pub fn contains(&self, t: EventType) -> bool {
        let i = usize::from(t.0);
        self.bits
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    pub fn union(&self, other: &Self) -> Self {
        let mut out = self.clone();
        for (a, b) in out.bits.iter_mut().zip(other.bits) {
            *a |= b;
        }
        out
    }

    pub fn intersection(&self, other: &Self) -> Self {
        let mut out = self.clone();
        for (a, b) in out.bits.iter_mut().zip(other.bits) {
            *a &= b;
        }
        out
    }

    /// Every known type not in this set.
    pub fn complement(&self) -> Self {
        let all = Self::all();
        let mut out = self.clone();
        for (a, b) in out.bits.iter_mut().zip(all.bits) {
            *a = !*a & b;
        }
        out
    }

    pub fn is_all(&self) -> bool {
        *self == Self::all()
    }

    pub fn iter(&self) -> impl Iterator<Item = EventType> + '_ {
        (0..EventType::count())
            .map(|i| EventType(u16::try_from(i).unwrap_or(u16::MAX)))
            .filter(|t| self.contains(*t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers() {
        let open = EventType::from_name("openat").unwrap();
        assert_eq!(open.name(), "openat");
        let sysno = syscalls::Sysno::openat.id() as u64;
        assert_eq!(EventType::from_sysno(sysno), Some(open));
        assert!(EventType::from_name("procexit").is_some());
        assert!(EventType::from_name("nonsense").is_none());
        let mut set = EventTypeSet::empty();
        set.insert(open);
        assert!(set.contains(open));
        assert!(!set.complement().contains(open));
        assert!(set.union(&set.complement()).is_all());
    }
}
