use super::{Permission, ROLE_KINDS, report_grants};
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that allow `escalate` or `bind` on roles and
    /// clusterroles, or `impersonate` on users, groups, service accounts, user
    /// extras or uids.
    ///
    /// ## Why is this bad?
    /// These verbs exist to get around RBAC's own guard against privilege
    /// escalation: `escalate` edits a role to grant permissions the editor lacks,
    /// `bind` binds a role the binder does not hold, `impersonate` acts as any
    /// user, including `system:masters` members.
    ///
    /// ## How to fix
    /// Remove these verbs from every role but the few that administer RBAC itself,
    /// and restrict `bind` and `impersonate` with `resourceNames`.
    static RULE = {
        id: "KW405",
        slug: "rbac-escalate-bind-impersonate",
        title: "Role can escalate, bind or impersonate",
        severity: High,
        layer: Cluster,
        owasp: K03,
        references: ["CIS Kubernetes 1.12 5.1.8"],
        check: Check::Object { kinds: ROLE_KINDS, check },
    };
}

const PERMISSIONS: &[Permission] = &[
    Permission {
        verbs: &["escalate", "bind"],
        group: "rbac.authorization.k8s.io",
        resources: &["roles", "clusterroles"],
    },
    Permission {
        verbs: &["impersonate"],
        group: "",
        resources: &["users", "groups", "serviceaccounts"],
    },
    Permission {
        verbs: &["impersonate"],
        group: "authentication.k8s.io",
        resources: &["userextras/scopes", "uids"],
    },
];

fn check(object: &Object, emit: &mut Emit<'_>) {
    report_grants(object, emit, PERMISSIONS, "can escalate privileges");
}
