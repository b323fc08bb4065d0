use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks every `*.key` under `/etc/kubernetes/pki` for mode 600 or stricter.
    ///
    /// ## Why is this bad?
    /// A readable CA or service-account signing key lets any local user forge client
    /// certificates or tokens for any identity.
    ///
    /// ## How to fix
    /// `chmod 600 /etc/kubernetes/pki/*.key` (and the same under `pki/etcd/`).
    static CHECK = {
        id: "1.1.21",
        slug: "pki-key-mode",
        title: "PKI private keys are mode 600",
        target: Master,
        automated: false,
        severity: Critical,
        owasp: K09,
        test: Test::Mode { files: Files::Locate { what: "private key", optional: false, locate: crate::cis::files::pki_keys }, max: 0o600 },
    };
}
