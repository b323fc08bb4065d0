use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--audit-log-path` is set.
    ///
    /// ## Why is this bad?
    /// Without an audit log there is no record of who did what in the cluster.
    ///
    /// ## How to fix
    /// Set `--audit-log-path=/var/log/kubernetes/audit/audit.log` (and mount that directory
    /// into the pod).
    static CHECK = {
        id: "1.2.16",
        slug: "apiserver-audit-log-path",
        title: "API server writes an audit log",
        target: Master,
        automated: true,
        severity: High,
        owasp: K05,
        test: Test::Flag { component: Component::ApiServer, flag: "--audit-log-path", default: None, expect: Expect::Present },
    };
}
