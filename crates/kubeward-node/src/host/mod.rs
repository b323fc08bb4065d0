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
pub use sockets::{Listener, parse_table};
pub use sshd::SshdConfig;

use crate::cis::Outcome;
use crate::root::Root;

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
    listeners: OnceLock<Vec<Listener>>,
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

    pub fn listeners(&self) -> &[Listener] {
        self.listeners
            .get_or_init(|| sockets::listeners(&self.root))
    }

    /// Every line of `/etc/modprobe.d/*.conf` (and `/lib`, `/usr/lib`), with
    /// its file and line number.
    pub fn modprobe_lines(&self) -> Vec<(String, u32, String)> {
        let mut out = Vec::new();
        for dir in [
            "/lib/modprobe.d",
            "/usr/lib/modprobe.d",
            "/etc/modprobe.d",
            "/run/modprobe.d",
        ] {
            for name in self.root.list(dir) {
                if !name.ends_with(".conf") {
                    continue;
                }
                let file = crate::root::join(dir, &name);
                for (line, n) in self
                    .root
                    .read_opt(&file)
                    .unwrap_or_default()
                    .lines()
                    .zip(1u32..)
                {
                    let line = line.trim();
                    if !line.is_empty() && !line.starts_with('#') {
                        out.push((file.clone(), n, line.to_owned()));
                    }
                }
            }
        }
        out
    }
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
