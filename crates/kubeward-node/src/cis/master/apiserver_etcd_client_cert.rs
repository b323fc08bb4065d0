use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--etcd-certfile` and `--etcd-keyfile` are both set.
    ///
    /// ## Why is this bad?
    /// etcd must only accept clients with certificates; the API server needs one to reach it.
    ///
    /// ## How to fix
    /// Set `--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt` and `--etcd-
    /// keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key`.
    static CHECK = {
        id: "1.2.23",
        slug: "apiserver-etcd-client-cert",
        title: "API server authenticates to etcd with a client certificate",
        target: Master,
        automated: true,
        severity: Critical,
        owasp: K08,
        test: Test::Custom(check),
    };
}

fn check(facts: &NodeFacts) -> Outcome {
    crate::cis::flags_set(
        facts,
        Component::ApiServer,
        &["--etcd-certfile", "--etcd-keyfile"],
    )
}
