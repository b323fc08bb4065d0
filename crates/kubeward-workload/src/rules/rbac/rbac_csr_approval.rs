use super::{Permission, ROLE_KINDS, report_grants};
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that allow `update` or `patch` on
    /// `certificatesigningrequests/approval`.
    ///
    /// ## Why is this bad?
    /// Approving a CSR issues a client certificate the API server trusts; with a
    /// signer that allows it, that is a certificate for any user or group,
    /// `system:masters` included.
    ///
    /// ## How to fix
    /// Leave approval to the controller manager's approvers and, for custom signers,
    /// to a dedicated controller.
    static RULE = {
        id: "KW411",
        slug: "rbac-csr-approval",
        title: "Role can approve certificate signing requests",
        severity: Medium,
        layer: Cluster,
        owasp: K03,
        references: ["CIS Kubernetes 1.12 5.1.11"],
        check: Check::Object { kinds: ROLE_KINDS, check },
    };
}

const PERMISSIONS: &[Permission] = &[Permission {
    verbs: &["update", "patch"],
    group: "certificates.k8s.io",
    resources: &["certificatesigningrequests/approval"],
}];

fn check(object: &Object, emit: &mut Emit<'_>) {
    report_grants(object, emit, PERMISSIONS, "can approve certificates");
}
