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
    /// Review the cluster by hand against this recommendation.
    static CHECK = {
        id: "5.6.1",
        slug: "policy-namespace-boundaries",
        title: "Namespaces separate administrative boundaries",
        target: Policies,
        automated: false,
        severity: Medium,
        owasp: K01,
        test: Test::Manual,
    };
}
