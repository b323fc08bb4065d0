use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that etcd's data directory (its `--data-dir`, else `/var/lib/etcd`) is mode 700
    /// or stricter.
    ///
    /// ## Why is this bad?
    /// The data directory holds the whole cluster state, Secrets included; anyone who can read
    /// it reads every Secret that is not encrypted at rest.
    ///
    /// ## How to fix
    /// `chmod 700` the directory named by etcd's `--data-dir`, e.g. `chmod 700 /var/lib/etcd`.
    static CHECK = {
        id: "1.1.11",
        slug: "etcd-data-dir-mode",
        title: "etcd data directory is mode 700 or stricter",
        target: Master,
        automated: true,
        severity: High,
        owasp: K08,
        test: Test::Mode { files: Files::Locate { what: "etcd data directory", optional: false, locate: crate::cis::files::etcd_data_dir }, max: 0o700 },
    };
}
