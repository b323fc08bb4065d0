use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--peer-client-cert-auth` is `true` (default `false`).
    ///
    /// ## Why is this bad?
    /// Without it any host can join or read from the etcd cluster as a peer.
    ///
    /// ## How to fix
    /// Set `--peer-client-cert-auth=true`.
    static CHECK = {
        id: "2.5",
        slug: "etcd-peer-client-cert-auth",
        title: "etcd peers require client certificates",
        target: Etcd,
        automated: true,
        severity: High,
        owasp: K08,
        test: Test::Flag { component: Component::Etcd, flag: "--peer-client-cert-auth", default: Some("false"), expect: Expect::Is("true") },
    };
}
