use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Checks that sshd's effective `PasswordAuthentication` is `no` (its default is `yes`),
    /// also inside `Match` blocks.
    ///
    /// ## Why is this bad?
    /// Passwords can be guessed, phished and reused; keys cannot be brute-forced over the
    /// network.
    ///
    /// ## How to fix
    /// Set `PasswordAuthentication no` and use SSH keys (or certificates).
    static CHECK = {
        id: "KH102",
        slug: "ssh-password-authentication",
        title: "SSH does not accept passwords",
        severity: High,
        layer: Cluster,
        owasp: K09,
        references: [],
        check: check,
    };
}

fn check(facts: &HostFacts) -> Outcome {
    super::sshd_setting(
        facts,
        "passwordauthentication",
        "yes",
        |v| v.eq_ignore_ascii_case("no"),
        "no",
    )
}
