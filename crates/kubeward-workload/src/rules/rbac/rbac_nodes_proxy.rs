use super::{Permission, ROLE_KINDS, report_grants};
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that allow any verb on `nodes/proxy`.
    ///
    /// ## Why is this bad?
    /// The `nodes/proxy` subresource forwards requests to the kubelet API, which
    /// runs commands in any container on the node and bypasses the API server's
    /// audit and admission.
    ///
    /// ## How to fix
    /// Remove `nodes/proxy`; monitoring agents can read metrics from `nodes/metrics`
    /// and `nodes/stats` instead.
    static RULE = {
        id: "KW408",
        slug: "rbac-nodes-proxy",
        title: "Role can use the nodes/proxy subresource",
        severity: High,
        layer: Cluster,
        owasp: K03,
        references: ["CIS Kubernetes 1.12 5.1.10"],
        check: Check::Object { kinds: ROLE_KINDS, check },
    };
}

const PERMISSIONS: &[Permission] = &[Permission {
    verbs: &["get", "create", "update", "patch", "delete"],
    group: "",
    resources: &["nodes/proxy"],
}];

fn check(object: &Object, emit: &mut Emit<'_>) {
    report_grants(object, emit, PERMISSIONS, "can reach the kubelet API");
}
