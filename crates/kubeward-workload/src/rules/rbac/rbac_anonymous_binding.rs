use super::{BINDING_KINDS, subjects};
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags RoleBindings and ClusterRoleBindings whose subjects include the
    /// user `system:anonymous` or the group `system:unauthenticated`.
    ///
    /// ## Why is this bad?
    /// Those subjects are whoever reaches the API server without credentials.
    /// Anything bound to them is open to the network.
    ///
    /// ## How to fix
    /// Remove those subjects; bind the role to authenticated identities.
    ///
    /// ## Example
    /// ```yaml
    /// subjects:
    ///   - kind: Group
    ///     name: platform-readers
    ///     apiGroup: rbac.authorization.k8s.io
    /// ```
    static RULE = {
        id: "KW406",
        slug: "rbac-anonymous-binding",
        title: "Binding grants access to anonymous users",
        severity: Critical,
        layer: Cluster,
        owasp: K06,
        references: [],
        check: Check::Object { kinds: BINDING_KINDS, check },
    };
}

fn check(object: &Object, emit: &mut Emit<'_>) {
    let role = object
        .root
        .lookup(&["roleRef", "name"])
        .and_then(Node::as_str)
        .unwrap_or("");
    for (i, (kind, name, node)) in subjects(object).enumerate() {
        if matches!(
            (kind, name),
            ("User", "system:anonymous") | ("Group", "system:unauthenticated")
        ) {
            emit.at(
                node.pos,
                format!("subjects[{i}]"),
                format!("{} grants role {role:?} to {kind} {name}", object.meta.kind),
            );
        }
    }
}
