use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--audit-log-maxbackup` is 10 or more.
    ///
    /// ## Why is this bad?
    /// Too few rotated files lose history during busy periods.
    ///
    /// ## How to fix
    /// Set `--audit-log-maxbackup=10` or more.
    static CHECK = {
        id: "1.2.18",
        slug: "apiserver-audit-log-maxbackup",
        title: "API server keeps 10 audit log files",
        target: Master,
        automated: true,
        severity: Medium,
        owasp: K05,
        test: Test::Flag { component: Component::ApiServer, flag: "--audit-log-maxbackup", default: None, expect: Expect::AtLeast(10) },
    };
}
