use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the `DenyServiceExternalIPs` admission plugin is enabled.
    ///
    /// ## Why is this bad?
    /// A user who can create Services can claim any external IP and intercept traffic meant for
    /// it (CVE-2020-8554).
    ///
    /// ## How to fix
    /// Add `DenyServiceExternalIPs` to `--enable-admission-plugins`.
    static CHECK = {
        id: "1.2.3",
        slug: "apiserver-deny-service-external-ips",
        title: "API server denies Service externalIPs",
        target: Master,
        automated: false,
        severity: Medium,
        owasp: K07,
        test: Test::Flag { component: Component::ApiServer, flag: "--enable-admission-plugins", default: None, expect: Expect::Includes("DenyServiceExternalIPs") },
    };
}
