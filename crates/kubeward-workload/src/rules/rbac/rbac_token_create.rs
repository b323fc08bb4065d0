use super::{Permission, ROLE_KINDS, report_grants};
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that allow `create` on `serviceaccounts/token`.
    ///
    /// ## Why is this bad?
    /// The TokenRequest API issues a token for any service account the role can
    /// name, so the holder gains the permissions of every such account.
    ///
    /// ## How to fix
    /// Grant it only to components that hand out tokens, restricted with
    /// `resourceNames` to the accounts they serve.
    static RULE = {
        id: "KW410",
        slug: "rbac-token-create",
        title: "Role can create service account tokens",
        severity: Medium,
        layer: Cluster,
        owasp: K03,
        references: ["CIS Kubernetes 1.12 5.1.13"],
        check: Check::Object { kinds: ROLE_KINDS, check },
    };
}

const PERMISSIONS: &[Permission] = &[Permission {
    verbs: &["create"],
    group: "",
    resources: &["serviceaccounts/token"],
}];

fn check(object: &Object, emit: &mut Emit<'_>) {
    report_grants(object, emit, PERMISSIONS, "can mint service account tokens");
}
