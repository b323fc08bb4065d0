use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--peer-cert-file` and `--peer-key-file` are both set.
    ///
    /// ## Why is this bad?
    /// Peer traffic carries the replicated cluster state.
    ///
    /// ## How to fix
    /// Set `--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt` and `--peer-key-
    /// file=/etc/kubernetes/pki/etcd/peer.key`.
    static CHECK = {
        id: "2.4",
        slug: "etcd-peer-tls",
        title: "etcd peers talk over TLS",
        target: Etcd,
        automated: true,
        severity: High,
        owasp: K08,
        test: Test::Custom(check),
    };
}

fn check(facts: &NodeFacts) -> Outcome {
    crate::cis::flags_set(
        facts,
        Component::Etcd,
        &["--peer-cert-file", "--peer-key-file"],
    )
}
