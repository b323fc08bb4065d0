use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--terminated-pod-gc-threshold` is set (its default, 12500, is high).
    ///
    /// ## Why is this bad?
    /// Thousands of terminated pods can pile up and slow the control plane.
    ///
    /// ## How to fix
    /// Set `--terminated-pod-gc-threshold=10` or another suitable number.
    static CHECK = {
        id: "1.3.1",
        slug: "controller-manager-terminated-pod-gc",
        title: "Controller manager collects terminated pods",
        target: Master,
        automated: false,
        severity: Low,
        owasp: K09,
        test: Test::Flag { component: Component::ControllerManager, flag: "--terminated-pod-gc-threshold", default: None, expect: Expect::Present },
    };
}
