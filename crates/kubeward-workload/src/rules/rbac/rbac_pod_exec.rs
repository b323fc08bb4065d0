use super::{Permission, ROLE_KINDS, report_grants};
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that allow `create` or `get` on `pods/exec` or
    /// `pods/attach` (`get` is what WebSocket clients use).
    ///
    /// ## Why is this bad?
    /// Exec runs any command in any container the role can reach, with that
    /// container's service account token, mounted Secrets and network position.
    /// It bypasses every admission control that guarded the pod's creation.
    ///
    /// ## How to fix
    /// Keep exec to break-glass roles for operators, bound for a limited time, and
    /// audit its use.
    static RULE = {
        id: "KW404",
        slug: "rbac-pod-exec",
        title: "Role can exec into pods",
        severity: High,
        layer: Cluster,
        owasp: K03,
        references: [],
        check: Check::Object { kinds: ROLE_KINDS, check },
    };
}

const PERMISSIONS: &[Permission] = &[Permission {
    verbs: &["create", "get"],
    group: "",
    resources: &["pods/exec", "pods/attach"],
}];

fn check(object: &Object, emit: &mut Emit<'_>) {
    report_grants(object, emit, PERMISSIONS, "can run commands in pods");
}
