use super::{ROLE_KINDS, policy_rules};
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Role and ClusterRole rules that use `*` in `verbs`, `resources`,
    /// `apiGroups` or `nonResourceURLs`. It also flags a resource written
    /// `pods/*` (any `resource/*`), which looks like a wildcard but is not
    /// one: RBAC matches `*`, an exact `resource/subresource` and
    /// `*/subresource` only, so `pods/*` grants no subresource at all. Whoever
    /// wrote it meant every subresource (`exec` and `attach` included), and
    /// the grant is either broken or about to be "fixed" into `*`.
    ///
    /// ## Why is this bad?
    /// A wildcard grants everything that exists now and everything added later:
    /// new resources, new subresources such as `pods/exec`, and the verbs
    /// `escalate`, `bind` and `impersonate`. Least privilege cannot be reviewed
    /// when the grant has no edge.
    ///
    /// ## How to fix
    /// List the verbs, groups and resources the subject needs; for
    /// subresources, name each one (`pods/log`, not `pods/*`).
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    static RULE = {
        id: "KW402",
        slug: "rbac-wildcard",
        title: "Role uses wildcards",
        severity: High,
        layer: Cluster,
        owasp: K03,
        references: ["CIS Kubernetes 1.12 5.1.3"],
        check: Check::Object { kinds: ROLE_KINDS, check },
    };
}

fn check(object: &Object, emit: &mut Emit<'_>) {
    for rule in policy_rules(object) {
        let mut wild = Vec::new();
        let mut first = None;
        for key in ["verbs", "resources", "apiGroups", "nonResourceURLs"] {
            let items = rule.node.field(key).map(Node::items).unwrap_or_default();
            if let Some(star) = items.iter().find(|n| n.as_str() == Some("*")) {
                wild.push(key);
                first.get_or_insert(star.pos);
            }
        }
        let resources = rule.node.field("resources").map(Node::items);
        let mistaken: Vec<&Node> = resources
            .unwrap_or_default()
            .iter()
            .filter(|n| n.as_str().is_some_and(|r| r.ends_with("/*")))
            .collect();
        let mut parts = Vec::new();
        if !wild.is_empty() {
            parts.push(format!("grants * in {}", wild.join(", ")));
        }
        if let Some(node) = mistaken.first() {
            first.get_or_insert(node.pos);
            let names: Vec<String> = mistaken
                .iter()
                .filter_map(|n| n.as_str())
                .map(|r| format!("{r:?}"))
                .collect();
            parts.push(format!(
                "names {} in resources, which RBAC does not expand (it grants no subresource)",
                names.join(", ")
            ));
        }
        if let Some(pos) = first {
            emit.at(
                pos,
                format!("rules[{}]", rule.index),
                format!(
                    "{} rules[{}] {}",
                    object.meta.kind,
                    rule.index,
                    parts.join("; ")
                ),
            );
        }
    }
}
