use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that etcd's `--client-cert-auth` is `true` (default `false`).
    ///
    /// ## Why is this bad?
    /// Without it anyone who can reach etcd's client port can read and write the whole cluster
    /// state.
    ///
    /// ## How to fix
    /// Set `--client-cert-auth=true`.
    static CHECK = {
        id: "2.2",
        slug: "etcd-client-cert-auth",
        title: "etcd requires client certificates",
        target: Etcd,
        automated: true,
        severity: Critical,
        owasp: K08,
        test: Test::Flag { component: Component::Etcd, flag: "--client-cert-auth", default: Some("false"), expect: Expect::Is("true") },
    };
}
