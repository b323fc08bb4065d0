use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--audit-log-maxage` is 30 or more.
    ///
    /// ## Why is this bad?
    /// Audit logs kept too briefly are gone before an incident is noticed.
    ///
    /// ## How to fix
    /// Set `--audit-log-maxage=30` or more.
    static CHECK = {
        id: "1.2.17",
        slug: "apiserver-audit-log-maxage",
        title: "API server keeps audit logs for 30 days",
        target: Master,
        automated: true,
        severity: Medium,
        owasp: K05,
        test: Test::Flag { component: Component::ApiServer, flag: "--audit-log-maxage", default: None, expect: Expect::AtLeast(30) },
    };
}
