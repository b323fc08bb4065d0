use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Checks that `HostbasedAuthentication` is `no` (the default).
    ///
    /// ## Why is this bad?
    /// Host-based trust lets a compromise of one host log in to others without credentials.
    ///
    /// ## How to fix
    /// Set `HostbasedAuthentication no`.
    static CHECK = {
        id: "KH106",
        slug: "ssh-hostbased-authentication",
        title: "SSH does not trust other hosts",
        severity: Medium,
        layer: Cluster,
        owasp: K09,
        references: [],
        check: check,
    };
}

fn check(facts: &HostFacts) -> Outcome {
    super::sshd_setting(
        facts,
        "hostbasedauthentication",
        "no",
        |v| v.eq_ignore_ascii_case("no"),
        "no",
    )
}
