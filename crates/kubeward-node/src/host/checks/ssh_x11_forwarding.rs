use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Checks that `X11Forwarding` is `no` (the default).
    ///
    /// ## Why is this bad?
    /// A node has no desktop; X11 forwarding only widens what a session can reach.
    ///
    /// ## How to fix
    /// Set `X11Forwarding no`.
    static CHECK = {
        id: "KH105",
        slug: "ssh-x11-forwarding",
        title: "SSH does not forward X11",
        severity: Low,
        layer: Cluster,
        owasp: K09,
        references: [],
        check: check,
    };
}

fn check(facts: &HostFacts) -> Outcome {
    super::sshd_setting(
        facts,
        "x11forwarding",
        "no",
        |v| v.eq_ignore_ascii_case("no"),
        "no",
    )
}
