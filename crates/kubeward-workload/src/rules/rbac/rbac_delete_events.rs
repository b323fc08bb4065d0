use super::{Permission, ROLE_KINDS, report_grants};
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that allow `delete` or `deletecollection` on
    /// `events`, in the core group or `events.k8s.io`.
    ///
    /// ## Why is this bad?
    /// Events are often the only record of what happened to a pod: failed
    /// mounts, image pulls, kills, evictions. A role that can delete them can
    /// remove the traces of an attack (MITRE ATT&CK T1070, indicator removal),
    /// and no workload needs to: events expire on their own.
    ///
    /// ## How to fix
    /// Remove the verbs; let the API server's event TTL clean up.
    static RULE = {
        id: "KW414",
        slug: "rbac-delete-events",
        title: "Role can delete events",
        severity: Low,
        layer: Cluster,
        owasp: K03,
        references: ["MITRE ATT&CK T1070"],
        check: Check::Object { kinds: ROLE_KINDS, check },
    };
}

const PERMISSIONS: &[Permission] = &[
    Permission {
        verbs: &["delete", "deletecollection"],
        group: "",
        resources: &["events"],
    },
    Permission {
        verbs: &["delete", "deletecollection"],
        group: "events.k8s.io",
        resources: &["events"],
    },
];

fn check(object: &Object, emit: &mut Emit<'_>) {
    report_grants(object, emit, PERMISSIONS, "can delete events");
}
