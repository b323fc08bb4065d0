use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `seccompDefault` (or `--seccomp-default`) is `true`.
    ///
    /// ## Why is this bad?
    /// Without it, containers that ask for no profile run unconfined and can use every system
    /// call.
    ///
    /// ## How to fix
    /// Set `seccompDefault: true` in the kubelet configuration file.
    static CHECK = {
        id: "4.2.14",
        slug: "kubelet-seccomp-default",
        title: "Kubelet applies the default seccomp profile",
        target: Node,
        automated: false,
        severity: Medium,
        owasp: K01,
        test: Test::Kubelet { flag: "--seccomp-default", path: &["seccompDefault"], config_default: Some("false"), flag_default: Some("false"), expect: Expect::Is("true") },
    };
}
