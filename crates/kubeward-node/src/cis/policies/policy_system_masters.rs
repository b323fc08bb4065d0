use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// A policy recommendation about the cluster's objects, not the node: kubeward reports it
    /// as a manual check here.
    ///
    /// ## Why is this bad?
    /// Node files cannot show how the cluster's RBAC, admission and workloads are set up.
    ///
    /// ## How to fix
    /// Run `kubeward pki check /etc/kubernetes/pki`, which flags client certificates in
    /// `system:masters`; keep only the break-glass `super-admin.conf` there.
    static CHECK = {
        id: "5.1.7",
        slug: "policy-system-masters",
        title: "The system:masters group is avoided",
        target: Policies,
        automated: false,
        severity: Medium,
        owasp: K03,
        test: Test::Manual,
    };
}
