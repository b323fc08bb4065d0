use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--root-ca-file` is set.
    ///
    /// ## Why is this bad?
    /// Pods verify the API server with this CA; without it they cannot tell the real API server
    /// from an impostor.
    ///
    /// ## How to fix
    /// Set `--root-ca-file=/etc/kubernetes/pki/ca.crt`.
    static CHECK = {
        id: "1.3.5",
        slug: "controller-manager-root-ca-file",
        title: "Controller manager gives pods the cluster CA",
        target: Master,
        automated: true,
        severity: Medium,
        owasp: K06,
        test: Test::Flag { component: Component::ControllerManager, flag: "--root-ca-file", default: None, expect: Expect::Present },
    };
}
