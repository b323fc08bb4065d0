//! Host hardening checks (`kubeward host`): the Linux practice the CIS
//! distribution benchmarks and lynis share, chosen for Kubernetes nodes —
//! SSH, accounts, sudo, kernel modules, listening ports, AppArmor and
//! seccomp, services, firewall. One file per check, ids `KH…`; the doc
//! comment is the documentation.

mod accounts;
mod checks;
mod sockets;
mod sshd;

use std::sync::OnceLock;

use kubeward_core::RuleMeta;
use kubeward_core::benchmark::{BenchmarkReport, CheckResult, Status};

pub use accounts::{Account, Accounts, SudoRule, SudoRules};
pub use sockets::{Listener, Listeners, parse_table};
pub use sshd::SshdConfig;

use crate::cis::Outcome;
use crate::root::{Root, Unreadable};

/// The benchmark name host reports carry.
pub const BENCHMARK: &str = "kubeward-host";

/// Ports a Kubernetes node is expected to listen on from the network:
/// SSH, the API server, etcd, the kubelet, kube-proxy's health check, and
/// the NodePort range.
pub const DEFAULT_ALLOWED_PORTS: &[(u16, u16)] = &[
    (22, 22),
    (6443, 6443),
    (2379, 2380),
    (10250, 10250),
    (10256, 10256),
    (30000, 32767),
];

/// Declares a host check: its doc comment becomes its documentation.
macro_rules! host_check {
    ($(#[doc = $doc:literal])+ static $name:ident = { $($body:tt)* };) => {
        kubeward_core::declare_rule! {
            $(#[doc = $doc])+ static $name: $crate::host::HostCheck = { $($body)* };
        }
    };
}
pub(crate) use host_check;

/// One host check.
#[derive(Debug)]
pub struct HostCheck {
    pub meta: RuleMeta,
    pub check: fn(&HostFacts) -> Outcome,
}

/// The host as the checks see it, read lazily and once.
#[derive(Debug)]
pub struct HostFacts {
    pub root: Root,
    /// Ranges of ports that may listen on the network.
    pub allowed_ports: Vec<(u16, u16)>,
    sshd: OnceLock<SshdConfig>,
    accounts: OnceLock<Accounts>,
    sudo: OnceLock<SudoRules>,
    listeners: OnceLock<Listeners>,
}

impl HostFacts {
    pub fn new(root: Root, extra_ports: &[(u16, u16)]) -> Self {
        let mut allowed_ports = DEFAULT_ALLOWED_PORTS.to_vec();
        allowed_ports.extend_from_slice(extra_ports);
        Self {
            root,
            allowed_ports,
            sshd: OnceLock::new(),
            accounts: OnceLock::new(),
            sudo: OnceLock::new(),
            listeners: OnceLock::new(),
        }
    }

    pub fn sshd(&self) -> &SshdConfig {
        self.sshd
            .get_or_init(|| SshdConfig::read(&self.root, "/etc/ssh/sshd_config"))
    }

    pub fn accounts(&self) -> &Accounts {
        self.accounts.get_or_init(|| accounts::accounts(&self.root))
    }

    pub fn sudo_rules(&self) -> &SudoRules {
        self.sudo.get_or_init(|| accounts::sudo_rules(&self.root))
    }

    pub fn listeners(&self) -> &Listeners {
        self.listeners
            .get_or_init(|| sockets::listeners(&self.root))
    }

    /// Every line of `/etc/modprobe.d/*.conf` (and `/lib`, `/usr/lib`), with
    /// its file and line number, and the directories and files that exist
    /// but could not be read.
    pub fn modprobe_config(&self) -> ModprobeConfig {
        let mut out = ModprobeConfig::default();
        for dir in [
            "/lib/modprobe.d",
            "/usr/lib/modprobe.d",
            "/etc/modprobe.d",
            "/run/modprobe.d",
        ] {
            let names = self.root.list_existing(dir).unwrap_or_else(|e| {
                out.unreadable.push(e);
                Vec::new()
            });
            for name in names.iter().filter(|n| n.ends_with(".conf")) {
                let file = crate::root::join(dir, name);
                let text = match self.root.read_existing(&file) {
                    Ok(text) => text.unwrap_or_default(),
                    Err(e) => {
                        out.unreadable.push(e);
                        continue;
                    }
                };
                for (line, n) in text.lines().zip(1u32..) {
                    let line = line.trim();
                    if !line.is_empty() && !line.starts_with('#') {
                        out.lines.push((file.clone(), n, line.to_owned()));
                    }
                }
            }
        }
        out
    }
}

/// What `modprobe.d` says, as far as it could be read.
#[derive(Debug, Default)]
pub struct ModprobeConfig {
    /// (file, line number, line) of every line that is not a comment.
    pub lines: Vec<(String, u32, String)>,
    pub unreadable: Vec<Unreadable>,
}

/// Every host check, in id order.
pub fn all() -> impl Iterator<Item = &'static HostCheck> {
    checks::ALL.iter().copied()
}

/// The check with this id or slug.
pub fn find(name: &str) -> Option<&'static HostCheck> {
    all().find(|c| c.meta.is_named(name))
}

/// Runs every host check.
pub fn run(facts: &HostFacts) -> BenchmarkReport {
    let results = all()
        .map(|c| {
            let outcome = (c.check)(facts);
            CheckResult {
                id: c.meta.id.to_owned(),
                title: c.meta.title.to_owned(),
                status: match outcome.passed {
                    Some(true) => Status::Pass,
                    Some(false) => Status::Fail,
                    None => Status::Warn,
                },
                evidence: outcome.evidence,
                remediation: c.meta.remediation(),
                meta: Some(&c.meta),
            }
        })
        .collect();
    BenchmarkReport {
        benchmark: BENCHMARK.into(),
        results,
        errors: Vec::new(),
    }
}

/// What every check file uses.
mod prelude {
    pub(crate) use super::{HostFacts, host_check};
    pub(crate) use crate::cis::Outcome;
    pub(crate) use kubeward_core::benchmark::Evidence;
}
