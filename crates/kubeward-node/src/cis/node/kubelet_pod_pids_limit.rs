use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `podPidsLimit` (or `--pod-max-pids`) is set.
    ///
    /// ## Why is this bad?
    /// Without a limit, one pod can fork until the node runs out of process ids.
    ///
    /// ## How to fix
    /// Set `podPidsLimit` to a suitable number in the kubelet configuration file.
    static CHECK = {
        id: "4.2.13",
        slug: "kubelet-pod-pids-limit",
        title: "Kubelet limits process ids per pod",
        target: Node,
        automated: false,
        severity: Medium,
        owasp: K09,
        test: Test::Kubelet { flag: "--pod-max-pids", path: &["podPidsLimit"], config_default: None, flag_default: None, expect: Expect::Present },
    };
}
