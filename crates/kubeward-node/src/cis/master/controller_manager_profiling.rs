use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the controller manager's `--profiling` is `false` (default `true`).
    ///
    /// ## Why is this bad?
    /// Profiling endpoints reveal internals and cost resources.
    ///
    /// ## How to fix
    /// Set `--profiling=false`.
    static CHECK = {
        id: "1.3.2",
        slug: "controller-manager-profiling",
        title: "Controller manager profiling is off",
        target: Master,
        automated: true,
        severity: Medium,
        owasp: K09,
        test: Test::Flag { component: Component::ControllerManager, flag: "--profiling", default: Some("true"), expect: Expect::Is("false") },
    };
}
