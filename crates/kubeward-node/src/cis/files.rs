//! Which files a check looks at, and the permission and ownership tests over
//! them. Paths are found the way the node finds them (a component's flag
//! first), falling back to kubeadm's locations.

use kubeward_core::benchmark::Evidence;

use super::Outcome;
use crate::facts::{Component, NodeFacts};
use crate::root::{base_name, glob_match};

/// The files a check covers.
#[derive(Debug)]
pub enum Files {
    /// One file at a fixed path.
    Path(&'static str),
    /// Files found at run time. `optional`: when there are none, the check
    /// has nothing to test (WARN) rather than a missing file (FAIL).
    Locate {
        what: &'static str,
        optional: bool,
        locate: fn(&NodeFacts) -> Vec<String>,
    },
}

impl Files {
    fn paths(&self, facts: &NodeFacts) -> (Vec<String>, bool, String) {
        match self {
            Files::Path(p) => (vec![(*p).to_owned()], false, (*p).to_owned()),
            Files::Locate {
                what,
                optional,
                locate,
            } => (locate(facts), *optional, (*what).to_owned()),
        }
    }
}

/// The value of a component's flag, when set.
fn flag(facts: &NodeFacts, component: Component, name: &str) -> Option<String> {
    facts
        .command(component)
        .and_then(|c| c.get(name))
        .and_then(|f| f.value.clone())
}

fn first_existing(facts: &NodeFacts, candidates: &[&str]) -> Option<String> {
    candidates
        .iter()
        .find(|p| facts.root.exists(p))
        .map(|p| (*p).to_owned())
}

pub(crate) fn scheduler_kubeconfig(facts: &NodeFacts) -> Vec<String> {
    vec![
        flag(facts, Component::Scheduler, "--kubeconfig")
            .unwrap_or_else(|| "/etc/kubernetes/scheduler.conf".into()),
    ]
}

pub(crate) fn controller_manager_kubeconfig(facts: &NodeFacts) -> Vec<String> {
    vec![
        flag(facts, Component::ControllerManager, "--kubeconfig")
            .unwrap_or_else(|| "/etc/kubernetes/controller-manager.conf".into()),
    ]
}

/// `admin.conf` and, since Kubernetes 1.29, `super-admin.conf`.
pub(crate) fn admin_kubeconfigs(facts: &NodeFacts) -> Vec<String> {
    let found: Vec<String> = [
        "/etc/kubernetes/admin.conf",
        "/etc/kubernetes/super-admin.conf",
    ]
    .into_iter()
    .filter(|p| facts.root.exists(p))
    .map(str::to_owned)
    .collect();
    if found.is_empty() {
        vec!["/etc/kubernetes/admin.conf".into()]
    } else {
        found
    }
}

/// The etcd data directory: `--data-dir`, else kubeadm's.
pub(crate) fn etcd_data_dir(facts: &NodeFacts) -> Vec<String> {
    vec![flag(facts, Component::Etcd, "--data-dir").unwrap_or_else(|| "/var/lib/etcd".into())]
}

/// CNI configuration and IPAM state files.
pub(crate) fn cni_files(facts: &NodeFacts) -> Vec<String> {
    let mut out = Vec::new();
    let conf_dir = flag(facts, Component::Kubelet, "--cni-conf-dir")
        .unwrap_or_else(|| "/etc/cni/net.d".into());
    for dir in [conf_dir.as_str(), "/var/lib/cni/networks"] {
        out.extend(
            facts
                .root
                .walk(dir)
                .into_iter()
                .skip(1)
                .filter(|p| facts.root.stat(p).is_some_and(|s| !s.is_dir)),
        );
    }
    out
}

const PKI: &str = "/etc/kubernetes/pki";

/// The PKI directory and everything in it.
pub(crate) fn pki_all(facts: &NodeFacts) -> Vec<String> {
    facts.root.walk(PKI)
}

fn pki_named(facts: &NodeFacts, pattern: &str) -> Vec<String> {
    facts
        .root
        .walk(PKI)
        .into_iter()
        .filter(|p| glob_match(pattern, base_name(p)))
        .collect()
}

pub(crate) fn pki_certificates(facts: &NodeFacts) -> Vec<String> {
    pki_named(facts, "*.crt")
}

pub(crate) fn pki_keys(facts: &NodeFacts) -> Vec<String> {
    pki_named(facts, "*.key")
}

/// The systemd file that configures the kubelet (kubeadm's drop-in first).
pub(crate) fn kubelet_service(facts: &NodeFacts) -> Vec<String> {
    first_existing(
        facts,
        &[
            "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
            "/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf",
            "/etc/systemd/system/kubelet.service",
            "/lib/systemd/system/kubelet.service",
            "/usr/lib/systemd/system/kubelet.service",
        ],
    )
    .into_iter()
    .collect()
}

pub(crate) fn kubelet_kubeconfig(facts: &NodeFacts) -> Vec<String> {
    vec![
        flag(facts, Component::Kubelet, "--kubeconfig")
            .unwrap_or_else(|| "/etc/kubernetes/kubelet.conf".into()),
    ]
}

/// The kubelet's configuration file, when it uses one.
pub(crate) fn kubelet_config_file(facts: &NodeFacts) -> Vec<String> {
    facts.kubelet_config().file.iter().cloned().collect()
}

/// The CA the kubelet checks client certificates against.
pub(crate) fn kubelet_client_ca(facts: &NodeFacts) -> Vec<String> {
    let from_config = || {
        facts
            .kubelet_config()
            .root
            .as_ref()?
            .lookup(&["authentication", "x509", "clientCAFile"])?
            .as_str()
            .map(str::to_owned)
    };
    vec![
        flag(facts, Component::Kubelet, "--client-ca-file")
            .or_else(from_config)
            .unwrap_or_else(|| "/etc/kubernetes/pki/ca.crt".into()),
    ]
}

/// kube-proxy's kubeconfig, when it has one on the node.
pub(crate) fn proxy_kubeconfig(facts: &NodeFacts) -> Vec<String> {
    flag(facts, Component::Proxy, "--kubeconfig")
        .filter(|p| facts.root.exists(p))
        .or_else(|| {
            first_existing(
                facts,
                &[
                    "/etc/kubernetes/proxy.conf",
                    "/var/lib/kube-proxy/kubeconfig",
                    "/var/lib/kube-proxy/kubeconfig.conf",
                ],
            )
        })
        .into_iter()
        .collect()
}

/// Runs a test over every file; the evidence names each offending file (or
/// every file, when all pass, up to a few).
fn over_files(
    facts: &NodeFacts,
    files: &Files,
    test: impl Fn(&str, crate::root::FileStat) -> (bool, Evidence),
) -> Outcome {
    let (paths, optional, what) = files.paths(facts);
    if paths.is_empty() {
        let note = format!("no {what} found: nothing to check");
        return if optional {
            Outcome::undecided(vec![Evidence::note(note)])
        } else {
            Outcome::fail(vec![Evidence::note(note)])
        };
    }
    let mut failed = Vec::new();
    let mut passed = Vec::new();
    for path in &paths {
        match facts.root.stat(path) {
            Some(stat) => {
                let (ok, evidence) = test(path, stat);
                if ok { &mut passed } else { &mut failed }.push(evidence);
            }
            None if optional => {
                return Outcome::undecided(vec![
                    Evidence::note("absent: nothing to check").in_file(path.clone()),
                ]);
            }
            None => failed.push(Evidence::note("file not found").in_file(path.clone())),
        }
    }
    if failed.is_empty() {
        let total = passed.len();
        passed.truncate(5);
        if total > passed.len() {
            passed.push(Evidence::note(format!(
                "and {} more files, all as required",
                total - passed.len()
            )));
        }
        Outcome::pass(passed)
    } else {
        Outcome::fail(failed)
    }
}

/// Every file's permissions are `max` or stricter.
pub(crate) fn mode(facts: &NodeFacts, files: &Files, max: u32) -> Outcome {
    over_files(facts, files, |path, stat| {
        let ok = stat.mode & max == stat.mode;
        let note = if ok {
            format!("permissions {:o}, {max:o} or stricter", stat.mode)
        } else {
            format!("permissions {:o} are wider than {max:o}", stat.mode)
        };
        (
            ok,
            Evidence::note(note)
                .in_file(path)
                .setting("mode", Some(format!("{:o}", stat.mode))),
        )
    })
}

/// Every file is owned by `owner`.
pub(crate) fn owner(facts: &NodeFacts, files: &Files, owner: &str) -> Outcome {
    over_files(facts, files, |path, stat| {
        let seen = facts.root.owner(&stat);
        let ok = seen == owner;
        let note = if ok {
            format!("owned by {seen}")
        } else {
            format!("owned by {seen}, not {owner}")
        };
        (
            ok,
            Evidence::note(note)
                .in_file(path)
                .setting("owner", Some(seen)),
        )
    })
}
