use super::{Permission, ROLE_KINDS, report_grants};
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that allow changes to
    /// `validatingwebhookconfigurations` or `mutatingwebhookconfigurations`.
    ///
    /// ## Why is this bad?
    /// Admission webhooks see and may rewrite every object sent to the API server.
    /// Whoever can register one can read Secrets as they are created, inject
    /// containers into pods, or delete the webhooks that enforce policy.
    ///
    /// ## How to fix
    /// Restrict these permissions to the controllers that own their webhooks, with
    /// `resourceNames`.
    static RULE = {
        id: "KW409",
        slug: "rbac-webhook-configuration",
        title: "Role can change admission webhooks",
        severity: Medium,
        layer: Cluster,
        owasp: K03,
        references: ["CIS Kubernetes 1.12 5.1.12"],
        check: Check::Object { kinds: ROLE_KINDS, check },
    };
}

const PERMISSIONS: &[Permission] = &[Permission {
    verbs: &["create", "update", "patch", "delete"],
    group: "admissionregistration.k8s.io",
    resources: &[
        "validatingwebhookconfigurations",
        "mutatingwebhookconfigurations",
    ],
}];

fn check(object: &Object, emit: &mut Emit<'_>) {
    report_grants(object, emit, PERMISSIONS, "can change admission webhooks");
}
