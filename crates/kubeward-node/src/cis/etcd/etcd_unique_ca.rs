use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that etcd's `--trusted-ca-file` is set and is not the CA the API server trusts
    /// for clients (`--client-ca-file`).
    ///
    /// ## Why is this bad?
    /// If etcd trusts the cluster CA, every client certificate that CA signs (any user's) can
    /// talk to etcd directly.
    ///
    /// ## How to fix
    /// Create a separate CA for etcd (kubeadm uses `/etc/kubernetes/pki/etcd/ca.crt`) and set
    /// `--trusted-ca-file` to it.
    static CHECK = {
        id: "2.7",
        slug: "etcd-unique-ca",
        title: "etcd has a CA of its own",
        target: Etcd,
        automated: false,
        severity: Medium,
        owasp: K08,
        test: Test::Custom(check),
    };
}

fn check(facts: &NodeFacts) -> Outcome {
    crate::cis::etcd_ca::unique(facts)
}
