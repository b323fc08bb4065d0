use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the kubelet has a client CA (`--client-ca-file` or
    /// `authentication.x509.clientCAFile`).
    ///
    /// ## Why is this bad?
    /// Without it the kubelet cannot authenticate the API server's client certificate.
    ///
    /// ## How to fix
    /// Set `authentication: x509: clientCAFile: /etc/kubernetes/pki/ca.crt` and restart the
    /// kubelet.
    static CHECK = {
        id: "4.2.3",
        slug: "kubelet-client-ca",
        title: "Kubelet verifies client certificates",
        target: Node,
        automated: true,
        severity: High,
        owasp: K06,
        test: Test::Kubelet { flag: "--client-ca-file", path: &["authentication", "x509", "clientCAFile"], config_default: None, flag_default: None, expect: Expect::Present },
    };
}
