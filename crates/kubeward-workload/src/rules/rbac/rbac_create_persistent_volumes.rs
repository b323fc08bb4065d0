use super::{Permission, ROLE_KINDS, report_grants};
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that allow `create` on `persistentvolumes`.
    ///
    /// ## Why is this bad?
    /// A PersistentVolume can be a `hostPath`: creating one and claiming it mounts
    /// the node's filesystem into a pod, around Pod Security admission.
    ///
    /// ## How to fix
    /// Let users create PersistentVolumeClaims against StorageClasses; keep
    /// PersistentVolume creation to storage administrators and provisioners.
    static RULE = {
        id: "KW412",
        slug: "rbac-create-persistent-volumes",
        title: "Role can create PersistentVolumes",
        severity: Low,
        layer: Cluster,
        owasp: K03,
        references: ["CIS Kubernetes 1.12 5.1.9"],
        check: Check::Object { kinds: ROLE_KINDS, check },
    };
}

const PERMISSIONS: &[Permission] = &[Permission {
    verbs: &["create"],
    group: "",
    resources: &["persistentvolumes"],
}];

fn check(object: &Object, emit: &mut Emit<'_>) {
    report_grants(object, emit, PERMISSIONS, "can create PersistentVolumes");
}
