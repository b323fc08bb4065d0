use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--tls-cipher-suites` is set and lists only AEAD suites with forward
    /// secrecy.
    ///
    /// ## Why is this bad?
    /// Go's default list still allows CBC suites; an explicit list keeps weak ones out as
    /// defaults change.
    ///
    /// ## How to fix
    /// Set `--tls-cipher-suites` to a subset of the TLS 1.3 suites and the ECDHE AES-GCM and
    /// ChaCha20-Poly1305 suites.
    static CHECK = {
        id: "1.2.29",
        slug: "apiserver-tls-cipher-suites",
        title: "API server uses only strong ciphers",
        target: Master,
        automated: false,
        severity: Medium,
        owasp: K09,
        test: Test::Flag { component: Component::ApiServer, flag: "--tls-cipher-suites", default: None, expect: Expect::OnlyFrom(&["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"]) },
    };
}
