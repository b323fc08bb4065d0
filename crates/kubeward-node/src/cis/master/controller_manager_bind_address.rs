use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the controller manager's `--bind-address` is `127.0.0.1`. Its default is
    /// `0.0.0.0`, so an unset flag fails: kubeward reports the address the component really
    /// binds (kube-bench passes an unset flag).
    ///
    /// ## Why is this bad?
    /// Its health and metrics endpoints need not be reachable from the network.
    ///
    /// ## How to fix
    /// Set `--bind-address=127.0.0.1`.
    static CHECK = {
        id: "1.3.7",
        slug: "controller-manager-bind-address",
        title: "Controller manager listens on localhost only",
        target: Master,
        automated: true,
        severity: Medium,
        owasp: K07,
        test: Test::Flag { component: Component::ControllerManager, flag: "--bind-address", default: Some("0.0.0.0"), expect: Expect::Is("127.0.0.1") },
    };
}
