use super::{Permission, ROLE_KINDS, report_grants};
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that allow `get`, `list` or `watch` on
    /// `secrets` (directly or through wildcards).
    ///
    /// ## Why is this bad?
    /// `list` and `watch` return every Secret of the namespace (or cluster) with
    /// its values: database passwords, TLS keys, and the tokens of other service
    /// accounts, which lead to their permissions in turn.
    ///
    /// ## How to fix
    /// Grant `get` on named Secrets (`resourceNames`) only to the accounts that
    /// need them, and mount Secrets into pods instead of reading them from the API.
    static RULE = {
        id: "KW403",
        slug: "rbac-secrets-access",
        title: "Role can read Secrets",
        severity: Medium,
        layer: Cluster,
        owasp: K03,
        references: ["CIS Kubernetes 1.12 5.1.2"],
        check: Check::Object { kinds: ROLE_KINDS, check },
    };
}

const PERMISSIONS: &[Permission] = &[Permission {
    verbs: &["get", "list", "watch"],
    group: "",
    resources: &["secrets"],
}];

fn check(object: &Object, emit: &mut Emit<'_>) {
    report_grants(object, emit, PERMISSIONS, "can read Secrets");
}
