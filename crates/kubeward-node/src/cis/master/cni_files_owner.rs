use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the CNI configuration and IPAM state files are owned by `root:root`.
    ///
    /// ## Why is this bad?
    /// The owner of a CNI file can change pod networking for the whole node.
    ///
    /// ## How to fix
    /// `chown root:root` each file under the CNI configuration and state directories.
    static CHECK = {
        id: "1.1.10",
        slug: "cni-files-owner",
        title: "CNI files are owned by root:root",
        target: Master,
        automated: false,
        severity: Medium,
        owasp: K09,
        test: Test::Owner { files: Files::Locate { what: "CNI file", optional: true, locate: crate::cis::files::cni_files }, owner: "root:root" },
    };
}
