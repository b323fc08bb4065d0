use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// kubeward's addition to the benchmark (it was CIS 4.2.6 in earlier versions): checks that
    /// `protectKernelDefaults` is `true`.
    ///
    /// ## Why is this bad?
    /// With it the kubelet refuses to start on a kernel whose tunables differ from what it
    /// expects, instead of silently changing them.
    ///
    /// ## How to fix
    /// Set `protectKernelDefaults: true` in the kubelet configuration file and set the kernel
    /// parameters it needs (e.g. `vm.overcommit_memory=1`, `kernel.panic=10`).
    static CHECK = {
        id: "KN101",
        slug: "kubelet-protect-kernel-defaults",
        title: "Kubelet protects kernel defaults",
        target: Node,
        automated: true,
        severity: Medium,
        owasp: K09,
        test: Test::Kubelet { flag: "--protect-kernel-defaults", path: &["protectKernelDefaults"], config_default: Some("false"), flag_default: Some("false"), expect: Expect::Is("true") },
    };
}
