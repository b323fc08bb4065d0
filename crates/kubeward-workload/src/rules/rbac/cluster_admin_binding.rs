use super::{BINDING_KINDS, subjects};
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags RoleBindings and ClusterRoleBindings to the `cluster-admin`
    /// ClusterRole. The bootstrap binding of `cluster-admin` to the
    /// `system:masters` group is left alone.
    ///
    /// ## Why is this bad?
    /// `cluster-admin` allows every verb on every resource. A
    /// ClusterRoleBinding gives that over the whole cluster; even a
    /// RoleBinding gives full control of the namespace, including its Secrets
    /// and RBAC.
    ///
    /// ## How to fix
    /// Bind a role with just the permissions needed; keep `cluster-admin` for
    /// break-glass access.
    ///
    /// ## Example
    /// ```yaml
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: view
    /// ```
    static RULE = {
        id: "KW401",
        slug: "cluster-admin-binding",
        title: "Binding to cluster-admin",
        severity: High,
        layer: Cluster,
        owasp: K03,
        references: ["CIS Kubernetes 1.12 5.1.1"],
        check: Check::Object { kinds: BINDING_KINDS, check },
    };
}

fn check(object: &Object, emit: &mut Emit<'_>) {
    let Some(role) = object.root.field("roleRef") else {
        return;
    };
    let is_cluster_admin = role.field("kind").and_then(Node::as_str) == Some("ClusterRole")
        && role.field("name").and_then(Node::as_str) == Some("cluster-admin");
    if !is_cluster_admin {
        return;
    }
    let who: Vec<String> = subjects(object)
        .map(|(kind, name, _)| format!("{kind} {name}"))
        .collect();
    let bootstrap = object.meta.name == "cluster-admin" && who == ["Group system:masters"];
    if !bootstrap {
        emit.at(
            role.pos,
            "roleRef",
            format!(
                "{} grants cluster-admin to {}",
                object.meta.kind,
                if who.is_empty() {
                    "no subject".to_owned()
                } else {
                    who.join(", ")
                }
            ),
        );
    }
}
