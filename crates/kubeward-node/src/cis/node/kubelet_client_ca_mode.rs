use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks the CA the kubelet verifies clients with (`--client-ca-file`, else
    /// `authentication.x509.clientCAFile`, else `/etc/kubernetes/pki/ca.crt`) for mode 644 or
    /// stricter.
    ///
    /// ## Why is this bad?
    /// A writable CA file can be swapped for one that trusts an attacker's certificates.
    ///
    /// ## How to fix
    /// `chmod 644` the kubelet's client CA file.
    static CHECK = {
        id: "4.1.7",
        slug: "kubelet-client-ca-mode",
        title: "Kubelet client CA file is mode 644 or stricter",
        target: Node,
        automated: false,
        severity: Medium,
        owasp: K09,
        test: Test::Mode { files: Files::Locate { what: "kubelet client CA file", optional: false, locate: crate::cis::files::kubelet_client_ca }, max: 0o644 },
    };
}
