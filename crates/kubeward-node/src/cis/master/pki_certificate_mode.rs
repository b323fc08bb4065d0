use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks every `*.crt` under `/etc/kubernetes/pki` for mode 644 or stricter.
    ///
    /// ## Why is this bad?
    /// Certificates are public, but a writable one can be swapped for an attacker's CA or
    /// server certificate.
    ///
    /// ## How to fix
    /// `chmod 644 /etc/kubernetes/pki/*.crt` (and the same under `pki/etcd/`).
    static CHECK = {
        id: "1.1.20",
        slug: "pki-certificate-mode",
        title: "PKI certificates are mode 644 or stricter",
        target: Master,
        automated: false,
        severity: Medium,
        owasp: K09,
        test: Test::Mode { files: Files::Locate { what: "certificate", optional: false, locate: crate::cis::files::pki_certificates }, max: 0o644 },
    };
}
