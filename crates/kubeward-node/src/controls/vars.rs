//! The `$variables` of kube-bench control files (`$apiserverconf`,
//! `$kubeletsvc`, …), resolved the way kube-bench's `cfg/config.yaml`
//! describes: for each component of the file's node type, the first of its
//! listed files that exists on the node, else its default. Binaries are the
//! program the component runs as on the node (found offline from its
//! process, manifest or unit), else the first listed.

use kubeward_core::yaml::{Limits, Node, parse_documents};

use super::model::ModelError;
use crate::facts::{Component, NodeFacts};

/// kubeadm's locations, used when no kube-bench `config.yaml` is at hand.
const KUBEADM: &str = "
master:
  components: [apiserver, scheduler, controllermanager, etcd, kubelet]
  apiserver: {bins: [kube-apiserver], defaultconf: /etc/kubernetes/manifests/kube-apiserver.yaml}
  scheduler: {bins: [kube-scheduler], defaultconf: /etc/kubernetes/manifests/kube-scheduler.yaml, defaultkubeconfig: /etc/kubernetes/scheduler.conf}
  controllermanager: {bins: [kube-controller-manager], defaultconf: /etc/kubernetes/manifests/kube-controller-manager.yaml, defaultkubeconfig: /etc/kubernetes/controller-manager.conf}
  etcd: {bins: [etcd], defaultconf: /etc/kubernetes/manifests/etcd.yaml, defaultdatadir: /var/lib/etcd}
  kubelet: {bins: [kubelet]}
node:
  components: [kubelet, proxy]
  kubelet: {bins: [kubelet], defaultconf: /var/lib/kubelet/config.yaml, defaultsvc: /etc/systemd/system/kubelet.service.d/10-kubeadm.conf, defaultkubeconfig: /etc/kubernetes/kubelet.conf, defaultcafile: /etc/kubernetes/pki/ca.crt}
  proxy: {bins: [kube-proxy], defaultkubeconfig: /etc/kubernetes/proxy.conf}
etcd:
  components: [etcd]
  etcd: {bins: [etcd], defaultconf: /etc/kubernetes/manifests/etcd.yaml, defaultdatadir: /var/lib/etcd}
controlplane:
  components: [apiserver]
  apiserver: {bins: [kube-apiserver]}
policies:
  components: []
";

/// Variable names and values, longest name first so that no name is
/// replaced inside a longer one.
#[derive(Clone, Debug, Default)]
pub struct Vars {
    pairs: Vec<(String, String)>,
}

fn component_of(name: &str) -> Option<Component> {
    Some(match name {
        "apiserver" => Component::ApiServer,
        "scheduler" => Component::Scheduler,
        "controllermanager" => Component::ControllerManager,
        "etcd" => Component::Etcd,
        "kubelet" => Component::Kubelet,
        "proxy" => Component::Proxy,
        _ => return None,
    })
}

fn strings(node: &Node, key: &str) -> Vec<String> {
    node.field(key)
        .map(|n| {
            n.items()
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

impl Vars {
    /// Resolves the variables of `node_type` from a kube-bench
    /// `config.yaml` (`None`: kubeadm's locations).
    pub fn resolve(
        config: Option<&str>,
        node_type: &str,
        facts: &NodeFacts,
    ) -> Result<Self, ModelError> {
        let text = config.unwrap_or(KUBEADM);
        let (docs, error) = parse_documents(text, Limits::default());
        if let Some(e) = error {
            return Err(ModelError {
                line: e.pos.line,
                message: e.message,
            });
        }
        let mut pairs = Vec::new();
        let Some(section) = docs
            .into_iter()
            .map(|d| d.root)
            .find_map(|r| r.field(node_type).cloned())
        else {
            return Ok(Self { pairs });
        };
        for name in strings(&section, "components") {
            let Some(spec) = section.field(&name) else {
                continue;
            };
            let bins = strings(spec, "bins");
            let bin = component_of(&name)
                .and_then(|c| facts.command(c).map(|cmd| cmd.program().to_owned()))
                .or_else(|| bins.first().cloned())
                .or_else(|| {
                    spec.field("defaultbin")
                        .and_then(|n| n.as_str().map(str::to_owned))
                });
            if let Some(bin) = bin {
                pairs.push((format!("{name}bin"), bin));
            }
            for (list, default, suffix) in [
                ("confs", "defaultconf", "conf"),
                ("kubeconfig", "defaultkubeconfig", "kubeconfig"),
                ("svc", "defaultsvc", "svc"),
                ("cafile", "defaultcafile", "cafile"),
                ("datadirs", "defaultdatadir", "datadir"),
            ] {
                let found = strings(spec, list)
                    .into_iter()
                    .find(|p| facts.root.exists(p))
                    .or_else(|| {
                        spec.field(default)
                            .and_then(|n| n.as_str().map(str::to_owned))
                    });
                if let Some(path) = found {
                    pairs.push((format!("{name}{suffix}"), path));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        Ok(Self { pairs })
    }

    /// Replaces every `$name` in a text.
    pub fn substitute(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (name, value) in &self.pairs {
            out = out.replace(&format!("${name}"), value);
        }
        out
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}
