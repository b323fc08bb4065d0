use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the kubelet's client CA file is owned by `root:root`.
    ///
    /// ## Why is this bad?
    /// The owner of the file decides whom the kubelet trusts.
    ///
    /// ## How to fix
    /// `chown root:root` the kubelet's client CA file.
    static CHECK = {
        id: "4.1.8",
        slug: "kubelet-client-ca-owner",
        title: "Kubelet client CA file is owned by root:root",
        target: Node,
        automated: false,
        severity: Medium,
        owasp: K09,
        test: Test::Owner { files: Files::Locate { what: "kubelet client CA file", optional: false, locate: crate::cis::files::kubelet_client_ca }, owner: "root:root" },
    };
}
