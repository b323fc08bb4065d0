use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that etcd's `--auto-tls` is not `true`.
    ///
    /// ## Why is this bad?
    /// Auto TLS generates self-signed certificates that clients cannot verify.
    ///
    /// ## How to fix
    /// Remove `--auto-tls` or set it to `false`.
    static CHECK = {
        id: "2.3",
        slug: "etcd-no-auto-tls",
        title: "etcd does not use self-signed client certificates",
        target: Etcd,
        automated: true,
        severity: High,
        owasp: K08,
        test: Test::Flag { component: Component::Etcd, flag: "--auto-tls", default: Some("false"), expect: Expect::Is("false") },
    };
}
