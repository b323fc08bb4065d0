use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--audit-log-maxsize` is 100 (MB) or more.
    ///
    /// ## Why is this bad?
    /// Small files rotate so often that the kept backups cover little time.
    ///
    /// ## How to fix
    /// Set `--audit-log-maxsize=100` or more.
    static CHECK = {
        id: "1.2.19",
        slug: "apiserver-audit-log-maxsize",
        title: "API server rotates audit logs at 100 MB",
        target: Master,
        automated: true,
        severity: Medium,
        owasp: K05,
        test: Test::Flag { component: Component::ApiServer, flag: "--audit-log-maxsize", default: None, expect: Expect::AtLeast(100) },
    };
}
