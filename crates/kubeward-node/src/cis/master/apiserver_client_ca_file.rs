use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--client-ca-file` is set.
    ///
    /// ## Why is this bad?
    /// Without a client CA, client certificate authentication is off and components fall back
    /// to weaker credentials.
    ///
    /// ## How to fix
    /// Set `--client-ca-file=/etc/kubernetes/pki/ca.crt`.
    static CHECK = {
        id: "1.2.25",
        slug: "apiserver-client-ca-file",
        title: "API server verifies client certificates",
        target: Master,
        automated: true,
        severity: High,
        owasp: K06,
        test: Test::Flag { component: Component::ApiServer, flag: "--client-ca-file", default: None, expect: Expect::Present },
    };
}
