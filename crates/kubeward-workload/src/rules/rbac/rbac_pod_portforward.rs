use super::{Permission, ROLE_KINDS, report_grants};
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that allow `create` or `get` on
    /// `pods/portforward` (`get` is what WebSocket clients use).
    ///
    /// ## Why is this bad?
    /// Port-forwarding opens a tunnel from the client straight into a pod's
    /// network namespace, through the API server and the kubelet. NetworkPolicies
    /// never see that traffic, so a database or admin port that only the pod's
    /// neighbours were meant to reach is reachable from the client's laptop.
    ///
    /// ## How to fix
    /// Keep port-forwarding to break-glass roles for operators, bound for a
    /// limited time; expose what users need through a Service with its own
    /// authentication.
    static RULE = {
        id: "KW413",
        slug: "rbac-pod-portforward",
        title: "Role can port-forward into pods",
        severity: Medium,
        layer: Cluster,
        owasp: K03,
        references: [],
        check: Check::Object { kinds: ROLE_KINDS, check },
    };
}

const PERMISSIONS: &[Permission] = &[Permission {
    verbs: &["create", "get"],
    group: "",
    resources: &["pods/portforward"],
}];

fn check(object: &Object, emit: &mut Emit<'_>) {
    report_grants(object, emit, PERMISSIONS, "can port-forward into pods");
}
