use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the `EventRateLimit` admission plugin is enabled.
    ///
    /// ## Why is this bad?
    /// A flood of events can exhaust the API server and etcd.
    ///
    /// ## How to fix
    /// Add `EventRateLimit` to `--enable-admission-plugins` and give its limits with
    /// `--admission-control-config-file`.
    static CHECK = {
        id: "1.2.9",
        slug: "apiserver-event-rate-limit",
        title: "API server limits event rates",
        target: Master,
        automated: false,
        severity: Low,
        owasp: K09,
        test: Test::Flag { component: Component::ApiServer, flag: "--enable-admission-plugins", default: None, expect: Expect::Includes("EventRateLimit") },
    };
}
