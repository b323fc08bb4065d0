use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the kubelet's cipher suites are set and limited to ECDHE AES-GCM and
    /// ChaCha20-Poly1305 suites.
    ///
    /// ## Why is this bad?
    /// Default lists change with Go releases and have carried weak suites.
    ///
    /// ## How to fix
    /// Set `tlsCipherSuites` in the kubelet configuration file to a subset of the strong
    /// suites.
    static CHECK = {
        id: "4.2.12",
        slug: "kubelet-tls-cipher-suites",
        title: "Kubelet uses only strong ciphers",
        target: Node,
        automated: false,
        severity: Medium,
        owasp: K09,
        test: Test::Kubelet { flag: "--tls-cipher-suites", path: &["tlsCipherSuites"], config_default: None, flag_default: None, expect: Expect::OnlyFrom(&["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"]) },
    };
}
