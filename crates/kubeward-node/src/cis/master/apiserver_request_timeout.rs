use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// A manual check: review `--request-timeout` (default 60s) for the cluster's needs.
    ///
    /// ## Why is this bad?
    /// Too long a timeout lets slow clients hold connections; too short breaks large requests.
    ///
    /// ## How to fix
    /// Set `--request-timeout` as appropriate, e.g. `--request-timeout=300s`, only if needed.
    static CHECK = {
        id: "1.2.20",
        slug: "apiserver-request-timeout",
        title: "API server request timeout is appropriate",
        target: Master,
        automated: false,
        severity: Low,
        owasp: K09,
        test: Test::Manual,
    };
}
