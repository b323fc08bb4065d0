use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--tls-cert-file` and `--tls-private-key-file` are both set.
    ///
    /// ## Why is this bad?
    /// Without them the API server serves a self-signed certificate that clients cannot verify.
    ///
    /// ## How to fix
    /// Set `--tls-cert-file=/etc/kubernetes/pki/apiserver.crt` and `--tls-private-key-
    /// file=/etc/kubernetes/pki/apiserver.key`.
    static CHECK = {
        id: "1.2.24",
        slug: "apiserver-tls-cert",
        title: "API server serves TLS with its own certificate",
        target: Master,
        automated: true,
        severity: High,
        owasp: K09,
        test: Test::Custom(check),
    };
}

fn check(facts: &NodeFacts) -> Outcome {
    crate::cis::flags_set(
        facts,
        Component::ApiServer,
        &["--tls-cert-file", "--tls-private-key-file"],
    )
}
