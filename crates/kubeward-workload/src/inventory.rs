//! Facts about the whole scanned set, for rules that need more than one
//! object (a Namespace and its NetworkPolicies, a Pod and its
//! ServiceAccount). Only the few facts those rules read are kept, not the
//! objects, so memory stays small however many files are scanned.

use std::sync::Arc;

use kubeward_core::{Node, Object, ObjectMeta, Pos};

use crate::pod::Pod;

#[derive(Debug, Default)]
pub struct Inventory {
    /// Namespace objects.
    pub namespaces: Vec<Arc<ObjectMeta>>,
    pub workloads: Vec<WorkloadFacts>,
    pub service_accounts: Vec<ServiceAccountFacts>,
    pub network_policies: Vec<NetworkPolicyFacts>,
}

/// What set rules need to know of an object that carries a pod.
#[derive(Debug)]
pub struct WorkloadFacts {
    pub meta: Arc<ObjectMeta>,
    /// `serviceAccountName` (or the deprecated `serviceAccount`), else `default`.
    pub service_account: String,
    /// `automountServiceAccountToken` of the pod, when set.
    pub automount: Option<bool>,
    /// Where the automount setting is, or the pod spec when it is unset.
    pub automount_pos: Pos,
    pub automount_path: String,
}

#[derive(Debug)]
pub struct ServiceAccountFacts {
    pub meta: Arc<ObjectMeta>,
    pub automount: Option<bool>,
    pub automount_pos: Pos,
}

#[derive(Debug)]
pub struct NetworkPolicyFacts {
    pub meta: Arc<ObjectMeta>,
    /// Selects every pod of its namespace and allows no ingress.
    pub denies_all_ingress: bool,
}

impl Inventory {
    /// Notes what the set rules need to know of one object (and of its pod,
    /// when it carries one).
    pub fn record(&mut self, object: &Object, pod: Option<&Pod<'_>>) {
        let meta = &object.meta;
        match (meta.group(), meta.kind.as_str()) {
            ("", "Namespace") => self.namespaces.push(meta.clone()),
            ("", "ServiceAccount") => {
                let automount = object.root.field("automountServiceAccountToken");
                self.service_accounts.push(ServiceAccountFacts {
                    meta: meta.clone(),
                    automount: automount.and_then(Node::as_bool),
                    automount_pos: automount.map_or(meta.pos, |n| n.pos),
                });
            }
            ("networking.k8s.io", "NetworkPolicy") => {
                self.network_policies.push(NetworkPolicyFacts {
                    meta: meta.clone(),
                    denies_all_ingress: denies_all_ingress(&object.root),
                });
            }
            _ => {
                if let Some(pod) = pod {
                    self.workloads.push(workload_facts(pod));
                }
            }
        }
    }

    /// Adds the facts of another part of the scanned set.
    pub fn merge(&mut self, other: Inventory) {
        self.namespaces.extend(other.namespaces);
        self.workloads.extend(other.workloads);
        self.service_accounts.extend(other.service_accounts);
        self.network_policies.extend(other.network_policies);
    }

    /// Puts facts in input order, so that set rules report deterministically
    /// whatever order parallel scanning gathered them in.
    pub fn sort(&mut self) {
        let key = |m: &Arc<ObjectMeta>| (m.origin.input.clone(), m.pos);
        self.namespaces.sort_by_key(key);
        self.workloads.sort_by_key(|w| key(&w.meta));
        self.service_accounts.sort_by_key(|s| key(&s.meta));
        self.network_policies.sort_by_key(|n| key(&n.meta));
    }
}

fn workload_facts(pod: &Pod<'_>) -> WorkloadFacts {
    let account = pod
        .field("serviceAccountName")
        .or_else(|| pod.field("serviceAccount"))
        .and_then(Node::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or("default");
    let automount = pod.field("automountServiceAccountToken");
    WorkloadFacts {
        meta: pod.object.meta.clone(),
        service_account: account.to_owned(),
        automount: automount.and_then(Node::as_bool),
        automount_pos: automount.unwrap_or(pod.spec).pos,
        automount_path: pod.path("automountServiceAccountToken"),
    }
}

/// A policy that selects all pods (`podSelector: {}`), applies to ingress, and
/// allows none.
fn denies_all_ingress(policy: &Node) -> bool {
    let Some(spec) = policy.field("spec") else {
        return false;
    };
    let selects_all = selects_all_pods(spec.field("podSelector"));
    let types = spec.field("policyTypes").map(Node::items);
    let covers_ingress =
        types.is_none_or(|t| t.is_empty() || t.iter().any(|t| t.as_str() == Some("Ingress")));
    let allows_none = spec
        .field("ingress")
        .is_none_or(|rules| rules.items().is_empty());
    selects_all && covers_ingress && allows_none
}

/// An empty label selector (or none) selects every pod.
fn selects_all_pods(selector: Option<&Node>) -> bool {
    let empty = |key: &str| {
        selector.and_then(|s| s.field(key)).is_none_or(|v| {
            v.as_map().is_some_and(|m| m.is_empty()) || v.as_seq().is_some_and(<[Node]>::is_empty)
        })
    };
    empty("matchLabels") && empty("matchExpressions")
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeward_core::load::{LoadOptions, load_text};

    fn policy(spec: &str) -> bool {
        let text = format!(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: p}}\nspec:\n{spec}"
        );
        let loaded = load_text("p.yaml".into(), &text, &LoadOptions::default());
        denies_all_ingress(&loaded.objects[0].root)
    }

    #[test]
    fn default_deny_policies() {
        assert!(policy("  podSelector: {}\n  policyTypes: [Ingress]\n"));
        assert!(policy("  podSelector: {}\n"));
        assert!(policy(
            "  podSelector: {matchLabels: {}}\n  policyTypes: [Ingress, Egress]\n"
        ));
        assert!(!policy("  podSelector: {matchLabels: {app: web}}\n"));
        assert!(!policy("  podSelector: {}\n  ingress: [{}]\n"));
        assert!(!policy("  podSelector: {}\n  policyTypes: [Egress]\n"));
    }
}
