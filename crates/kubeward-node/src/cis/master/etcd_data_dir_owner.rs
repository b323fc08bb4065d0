use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that etcd's data directory is owned by the `etcd` user and group (names read from
    /// the node's `/etc/passwd` and `/etc/group`).
    ///
    /// ## Why is this bad?
    /// etcd should run as its own unprivileged account that alone owns its data; other
    /// ownership means another account can read or corrupt the cluster state.
    ///
    /// ## How to fix
    /// Create an `etcd` user and group if needed, then `chown etcd:etcd` the data directory,
    /// e.g. `chown etcd:etcd /var/lib/etcd`.
    static CHECK = {
        id: "1.1.12",
        slug: "etcd-data-dir-owner",
        title: "etcd data directory is owned by etcd:etcd",
        target: Master,
        automated: true,
        severity: High,
        owasp: K08,
        test: Test::Owner { files: Files::Locate { what: "etcd data directory", optional: false, locate: crate::cis::files::etcd_data_dir }, owner: "etcd:etcd" },
    };
}
