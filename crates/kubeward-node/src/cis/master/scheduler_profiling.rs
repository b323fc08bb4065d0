use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the scheduler's `--profiling` is `false` (default `true`).
    ///
    /// ## Why is this bad?
    /// Profiling endpoints reveal internals and cost resources.
    ///
    /// ## How to fix
    /// Set `--profiling=false` in `/etc/kubernetes/manifests/kube-scheduler.yaml`.
    static CHECK = {
        id: "1.4.1",
        slug: "scheduler-profiling",
        title: "Scheduler profiling is off",
        target: Master,
        automated: true,
        severity: Medium,
        owasp: K09,
        test: Test::Flag { component: Component::Scheduler, flag: "--profiling", default: Some("true"), expect: Expect::Is("false") },
    };
}
