use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the scheduler's `--bind-address` is `127.0.0.1` (default `0.0.0.0`: an unset
    /// flag fails).
    ///
    /// ## Why is this bad?
    /// Its health and metrics endpoints need not be reachable from the network.
    ///
    /// ## How to fix
    /// Set `--bind-address=127.0.0.1`.
    static CHECK = {
        id: "1.4.2",
        slug: "scheduler-bind-address",
        title: "Scheduler listens on localhost only",
        target: Master,
        automated: true,
        severity: Medium,
        owasp: K07,
        test: Test::Flag { component: Component::Scheduler, flag: "--bind-address", default: Some("0.0.0.0"), expect: Expect::Is("127.0.0.1") },
    };
}
