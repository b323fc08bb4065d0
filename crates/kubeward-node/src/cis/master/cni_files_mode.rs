use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks the permissions of the CNI configuration (`/etc/cni/net.d`, or the kubelet's
    /// `--cni-conf-dir`) and of the CNI IPAM state in `/var/lib/cni/networks`.
    ///
    /// ## Why is this bad?
    /// The CNI configuration decides how every pod is wired to the network; a user who can
    /// change it can intercept or reroute pod traffic.
    ///
    /// ## How to fix
    /// `chmod 600` each file under the CNI configuration and state directories.
    static CHECK = {
        id: "1.1.9",
        slug: "cni-files-mode",
        title: "CNI files are mode 600 or stricter",
        target: Master,
        automated: false,
        severity: Medium,
        owasp: K09,
        test: Test::Mode { files: Files::Locate { what: "CNI file", optional: true, locate: crate::cis::files::cni_files }, max: 0o600 },
    };
}
