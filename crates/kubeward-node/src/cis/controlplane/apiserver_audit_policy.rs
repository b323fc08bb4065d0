use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--audit-policy-file` is set.
    ///
    /// ## Why is this bad?
    /// Without a policy the API server records no audit events at all, whatever the log flags
    /// say.
    ///
    /// ## How to fix
    /// Write an audit policy and set `--audit-policy-file` to it.
    static CHECK = {
        id: "3.2.1",
        slug: "apiserver-audit-policy",
        title: "API server has an audit policy",
        target: ControlPlane,
        automated: false,
        severity: High,
        owasp: K05,
        test: Test::Flag { component: Component::ApiServer, flag: "--audit-policy-file", default: None, expect: Expect::Present },
    };
}
