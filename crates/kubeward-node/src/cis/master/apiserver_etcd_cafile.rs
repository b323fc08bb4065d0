use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--etcd-cafile` is set.
    ///
    /// ## Why is this bad?
    /// Without it the API server does not verify etcd's serving certificate and can be pointed
    /// at an impostor.
    ///
    /// ## How to fix
    /// Set `--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt`.
    static CHECK = {
        id: "1.2.26",
        slug: "apiserver-etcd-cafile",
        title: "API server verifies etcd's certificate",
        target: Master,
        automated: true,
        severity: High,
        owasp: K08,
        test: Test::Flag { component: Component::ApiServer, flag: "--etcd-cafile", default: None, expect: Expect::Present },
    };
}
