use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks the kubelet's effective anonymous authentication: `--anonymous-auth` when given,
    /// else `authentication.anonymous.enabled` in its configuration file, else the default (off
    /// with a configuration file, on without one).
    ///
    /// ## Why is this bad?
    /// Anonymous access to the kubelet API (port 10250) exposes pods, logs and `exec` on the
    /// node.
    ///
    /// ## How to fix
    /// Set `authentication: anonymous: enabled: false` in `/var/lib/kubelet/config.yaml` (or
    /// `--anonymous-auth=false`) and restart the kubelet.
    static CHECK = {
        id: "4.2.1",
        slug: "kubelet-anonymous-auth",
        title: "Kubelet rejects anonymous requests",
        target: Node,
        automated: true,
        severity: Critical,
        owasp: K06,
        test: Test::Kubelet { flag: "--anonymous-auth", path: &["authentication", "anonymous", "enabled"], config_default: Some("false"), flag_default: Some("true"), expect: Expect::Is("false") },
    };
}
