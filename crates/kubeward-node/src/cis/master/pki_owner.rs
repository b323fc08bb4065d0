use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `/etc/kubernetes/pki` and everything in it is owned by `root:root`.
    ///
    /// ## Why is this bad?
    /// The PKI directory holds the cluster CA keys: whoever owns them can mint any identity,
    /// cluster administrators included.
    ///
    /// ## How to fix
    /// `chown -R root:root /etc/kubernetes/pki/`
    static CHECK = {
        id: "1.1.19",
        slug: "pki-owner",
        title: "PKI directory and files are owned by root:root",
        target: Master,
        automated: true,
        severity: High,
        owasp: K09,
        test: Test::Owner { files: Files::Locate { what: "PKI directory", optional: false, locate: crate::cis::files::pki_all }, owner: "root:root" },
    };
}
