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
    /// Scan the cluster's manifests or live objects with `kubeward scan`: rule KW403 finds what
    /// this recommendation is about; fix each finding it reports.
    static CHECK = {
        id: "5.1.2",
        slug: "policy-secrets-access",
        title: "Access to Secrets is minimal",
        target: Policies,
        automated: false,
        severity: Medium,
        owasp: K03,
        test: Test::Manual,
    };
}
