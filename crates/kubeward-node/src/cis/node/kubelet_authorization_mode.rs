use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks the kubelet's effective authorization mode (flag, else configuration file, else
    /// default: `Webhook` with a configuration file, `AlwaysAllow` without).
    ///
    /// ## Why is this bad?
    /// `AlwaysAllow` lets any authenticated caller run commands in every pod on the node.
    ///
    /// ## How to fix
    /// Set `authorization: mode: Webhook` in the kubelet configuration file and restart the
    /// kubelet.
    static CHECK = {
        id: "4.2.2",
        slug: "kubelet-authorization-mode",
        title: "Kubelet authorization is not AlwaysAllow",
        target: Node,
        automated: true,
        severity: Critical,
        owasp: K03,
        test: Test::Kubelet { flag: "--authorization-mode", path: &["authorization", "mode"], config_default: Some("Webhook"), flag_default: Some("AlwaysAllow"), expect: Expect::IsNot("AlwaysAllow") },
    };
}
