use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--peer-auto-tls` is not `true`.
    ///
    /// ## Why is this bad?
    /// Self-signed peer certificates cannot be verified.
    ///
    /// ## How to fix
    /// Remove `--peer-auto-tls` or set it to `false`.
    static CHECK = {
        id: "2.6",
        slug: "etcd-no-peer-auto-tls",
        title: "etcd peers do not use self-signed certificates",
        target: Etcd,
        automated: true,
        severity: High,
        owasp: K08,
        test: Test::Flag { component: Component::Etcd, flag: "--peer-auto-tls", default: Some("false"), expect: Expect::Is("false") },
    };
}
