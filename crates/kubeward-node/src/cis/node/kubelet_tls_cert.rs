use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the kubelet has a serving certificate and key (`--tls-cert-
    /// file`/`tlsCertFile` and `--tls-private-key-file`/`tlsPrivateKeyFile`).
    ///
    /// ## Why is this bad?
    /// Otherwise the kubelet serves a self-signed certificate the API server cannot verify.
    ///
    /// ## How to fix
    /// Set `tlsCertFile` and `tlsPrivateKeyFile`, or enable `serverTLSBootstrap: true` to have
    /// certificates issued by the cluster.
    static CHECK = {
        id: "4.2.9",
        slug: "kubelet-tls-cert",
        title: "Kubelet serves TLS with its own certificate",
        target: Node,
        automated: false,
        severity: Medium,
        owasp: K09,
        test: Test::Custom(crate::cis::kubelet::tls_files),
    };
}
