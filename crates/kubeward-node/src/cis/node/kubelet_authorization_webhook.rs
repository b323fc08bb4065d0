use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// kubeward's addition: checks that the kubelet's authorization mode is exactly `Webhook`,
    /// so that every request is authorized through a SubjectAccessReview.
    ///
    /// ## Why is this bad?
    /// Any other mode does not ask the cluster's authorizers.
    ///
    /// ## How to fix
    /// Set `authorization: mode: Webhook` in the kubelet configuration file.
    static CHECK = {
        id: "KN102",
        slug: "kubelet-authorization-webhook",
        title: "Kubelet authorizes requests through the API server",
        target: Node,
        automated: true,
        severity: High,
        owasp: K03,
        test: Test::Kubelet { flag: "--authorization-mode", path: &["authorization", "mode"], config_default: Some("Webhook"), flag_default: Some("AlwaysAllow"), expect: Expect::Is("Webhook") },
    };
}
