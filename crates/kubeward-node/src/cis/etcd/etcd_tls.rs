use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that etcd's `--cert-file` and `--key-file` are both set.
    ///
    /// ## Why is this bad?
    /// Without TLS, everything the API server stores, Secrets included, crosses the network in
    /// clear text.
    ///
    /// ## How to fix
    /// Set `--cert-file=/etc/kubernetes/pki/etcd/server.crt` and `--key-
    /// file=/etc/kubernetes/pki/etcd/server.key` in `/etc/kubernetes/manifests/etcd.yaml`.
    static CHECK = {
        id: "2.1",
        slug: "etcd-tls",
        title: "etcd serves clients over TLS",
        target: Etcd,
        automated: true,
        severity: Critical,
        owasp: K08,
        test: Test::Custom(check),
    };
}

fn check(facts: &NodeFacts) -> Outcome {
    crate::cis::flags_set(facts, Component::Etcd, &["--cert-file", "--key-file"])
}
