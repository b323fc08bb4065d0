use super::{Permission, ROLE_KINDS, report_grants};
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that allow `create` on pods or on the
    /// controllers that create them (Deployments, ReplicaSets, DaemonSets,
    /// StatefulSets, Jobs, CronJobs, ReplicationControllers).
    ///
    /// ## Why is this bad?
    /// Whoever can create a pod can run it as any service account of the namespace,
    /// mount any of its Secrets, and (where admission allows) run it privileged
    /// on a node: creating pods is a path to every permission in the namespace.
    ///
    /// ## How to fix
    /// Grant workload creation to deployment pipelines and operators only, and enforce
    /// Pod Security admission (`restricted`) in their namespaces.
    static RULE = {
        id: "KW407",
        slug: "rbac-create-workloads",
        title: "Role can create workloads",
        severity: Medium,
        layer: Cluster,
        owasp: K03,
        references: ["CIS Kubernetes 1.12 5.1.4"],
        check: Check::Object { kinds: ROLE_KINDS, check },
    };
}

const PERMISSIONS: &[Permission] = &[
    Permission {
        verbs: &["create"],
        group: "",
        resources: &["pods", "replicationcontrollers"],
    },
    Permission {
        verbs: &["create"],
        group: "apps",
        resources: &["deployments", "replicasets", "daemonsets", "statefulsets"],
    },
    Permission {
        verbs: &["create"],
        group: "batch",
        resources: &["jobs", "cronjobs"],
    },
];

fn check(object: &Object, emit: &mut Emit<'_>) {
    report_grants(object, emit, PERMISSIONS, "can create workloads");
}
