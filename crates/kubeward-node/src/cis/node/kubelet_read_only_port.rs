use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks the kubelet's effective read-only port (flag, else `readOnlyPort`, else the
    /// default: 0 with a configuration file, 10255 without).
    ///
    /// ## Why is this bad?
    /// The read-only port serves pod and node data without any authentication.
    ///
    /// ## How to fix
    /// Set `readOnlyPort: 0` in the kubelet configuration file and restart the kubelet.
    static CHECK = {
        id: "4.2.4",
        slug: "kubelet-read-only-port",
        title: "Kubelet read-only port is off",
        target: Node,
        automated: false,
        severity: High,
        owasp: K06,
        test: Test::Kubelet { flag: "--read-only-port", path: &["readOnlyPort"], config_default: Some("0"), flag_default: Some("10255"), expect: Expect::Is("0") },
    };
}
