use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--use-service-account-credentials` is `true` (default `false`).
    ///
    /// ## Why is this bad?
    /// With it each controller runs with its own service account and least privilege; without
    /// it all share the controller manager's broad credentials.
    ///
    /// ## How to fix
    /// Set `--use-service-account-credentials=true`.
    static CHECK = {
        id: "1.3.3",
        slug: "controller-manager-service-account-credentials",
        title: "Controller manager uses per-controller credentials",
        target: Master,
        automated: true,
        severity: High,
        owasp: K03,
        test: Test::Flag { component: Component::ControllerManager, flag: "--use-service-account-credentials", default: Some("false"), expect: Expect::IsNot("false") },
    };
}
