//! Rules on RBAC Roles, ClusterRoles and their bindings.

use kubeward_core::{Node, Object};

use super::Emit;

pub(super) mod cluster_admin_binding;
pub(super) mod rbac_anonymous_binding;
pub(super) mod rbac_create_persistent_volumes;
pub(super) mod rbac_create_workloads;
pub(super) mod rbac_csr_approval;
pub(super) mod rbac_delete_events;
pub(super) mod rbac_escalate_bind_impersonate;
pub(super) mod rbac_nodes_proxy;
pub(super) mod rbac_pod_exec;
pub(super) mod rbac_pod_portforward;
pub(super) mod rbac_secrets_access;
pub(super) mod rbac_token_create;
pub(super) mod rbac_webhook_configuration;
pub(super) mod rbac_wildcard;

/// Kinds that hold policy rules.
const ROLE_KINDS: &[&str] = &["Role", "ClusterRole"];
/// Kinds that bind subjects to roles.
const BINDING_KINDS: &[&str] = &["RoleBinding", "ClusterRoleBinding"];

/// One entry of a role's `rules`.
#[derive(Debug)]
pub(crate) struct PolicyRule<'a> {
    pub node: &'a Node,
    pub index: usize,
    pub verbs: Vec<&'a str>,
    pub api_groups: Vec<&'a str>,
    pub resources: Vec<&'a str>,
}

fn strings<'a>(node: &'a Node, key: &str) -> Vec<&'a str> {
    node.field(key)
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::as_str)
        .collect()
}

/// The policy rules of a Role or ClusterRole.
pub(crate) fn policy_rules(object: &Object) -> impl Iterator<Item = PolicyRule<'_>> {
    object
        .root
        .field("rules")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(index, node)| PolicyRule {
            node,
            index,
            verbs: strings(node, "verbs"),
            api_groups: strings(node, "apiGroups"),
            resources: strings(node, "resources"),
        })
}

impl PolicyRule<'_> {
    /// Whether the rule allows `verb` on `resource` (`pods`, `pods/exec`) of
    /// `group`, exactly as the API server's RBAC authorizer decides: `*` for
    /// verbs, groups and resources (subresources included), an exact
    /// `resource/subresource`, and `*/exec` for one subresource of every
    /// resource. `pods/*` is no wildcard there: it grants no subresource
    /// (`rbac-wildcard` reports it as a likely mistake).
    pub(crate) fn grants(&self, verb: &str, group: &str, resource: &str) -> bool {
        let verb_ok = self.verbs.iter().any(|v| *v == "*" || *v == verb);
        let group_ok = self.api_groups.iter().any(|g| *g == "*" || *g == group);
        let sub = resource.split_once('/').map(|(_, s)| s);
        let resource_ok = self.resources.iter().any(|r| {
            *r == "*" || *r == resource || sub.is_some_and(|s| r.strip_prefix("*/") == Some(s))
        });
        verb_ok && group_ok && resource_ok
    }
}

/// A set of permissions a rule looks for.
#[derive(Debug)]
pub(crate) struct Permission {
    pub verbs: &'static [&'static str],
    pub group: &'static str,
    pub resources: &'static [&'static str],
}

/// Reports each policy rule that grants any of `permissions`, naming what it
/// grants.
fn report_grants(object: &Object, emit: &mut Emit<'_>, permissions: &[Permission], what: &str) {
    for rule in policy_rules(object) {
        let mut granted: Vec<String> = Vec::new();
        for p in permissions {
            for resource in p.resources {
                let verbs: Vec<&str> = p
                    .verbs
                    .iter()
                    .copied()
                    .filter(|v| rule.grants(v, p.group, resource))
                    .collect();
                if verbs.is_empty() {
                    continue;
                }
                let grant = format!("{} {resource}", verbs.join("/"));
                // The same resource in two groups, both granted by `*`, is said once.
                if !granted.contains(&grant) {
                    granted.push(grant);
                }
            }
        }
        if !granted.is_empty() {
            emit.at(
                rule.node.pos,
                format!("rules[{}]", rule.index),
                format!(
                    "{} {what}: rules[{}] allows {}",
                    object.meta.kind,
                    rule.index,
                    granted.join(", ")
                ),
            );
        }
    }
}

/// The subjects of a binding, as `(kind, name, node)`.
fn subjects(object: &Object) -> impl Iterator<Item = (&str, &str, &Node)> {
    object
        .root
        .field("subjects")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .map(|s| {
            let text = |k| s.field(k).and_then(Node::as_str).unwrap_or("");
            (text("kind"), text("name"), s)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule<'a>(
        verbs: &[&'a str],
        groups: &[&'a str],
        resources: &[&'a str],
        node: &'a Node,
    ) -> PolicyRule<'a> {
        PolicyRule {
            node,
            index: 0,
            verbs: verbs.to_vec(),
            api_groups: groups.to_vec(),
            resources: resources.to_vec(),
        }
    }

    #[test]
    fn wildcards_match_as_rbac_does() {
        let n = Node::new(kubeward_core::Pos::default(), kubeward_core::Value::Null);
        assert!(rule(&["*"], &[""], &["pods/exec"], &n).grants("create", "", "pods/exec"));
        assert!(rule(&["create"], &["*"], &["pods/exec"], &n).grants("create", "", "pods/exec"));
        assert!(rule(&["create"], &[""], &["*/exec"], &n).grants("create", "", "pods/exec"));
        assert!(rule(&["create"], &[""], &["*"], &n).grants("create", "", "pods/exec"));
        assert!(!rule(&["create"], &[""], &["pods"], &n).grants("create", "", "pods/exec"));
        assert!(!rule(&["get"], &[""], &["secrets"], &n).grants("get", "apps", "secrets"));
        assert!(!rule(&["create"], &[""], &["pods/*"], &n).grants("create", "", "pods"));
        assert!(!rule(&["*"], &[""], &["*"], &n).grants("get", "apps", "deployments"));
        assert!(!rule(&["get"], &[""], &["*/exec"], &n).grants("get", "", "pods"));
        assert!(!rule(&["get"], &[""], &["*/exec"], &n).grants("get", "", "pods/execx"));
    }

    /// Upstream's ResourceMatches has no `resource/*` form: `pods/*` (and
    /// `*/*`) grant no subresource.
    #[test]
    fn resource_slash_star_is_not_a_wildcard() {
        let n = Node::new(kubeward_core::Pos::default(), kubeward_core::Value::Null);
        for pattern in ["pods/*", "*/*"] {
            let r = rule(&["get", "create"], &[""], &[pattern], &n);
            for resource in ["pods/exec", "pods/attach", "pods/log", "pods"] {
                assert!(!r.grants("get", "", resource), "{pattern} {resource}");
            }
        }
    }
}
