use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Checks sshd's effective `PermitRootLogin` (its default is `prohibit-password`) and every
    /// `Match` block that sets it.
    ///
    /// ## Why is this bad?
    /// Direct root logins leave no trace of who logged in and give an attacker who steals a key
    /// the whole node at once.
    ///
    /// ## How to fix
    /// Set `PermitRootLogin no` in `/etc/ssh/sshd_config` (before any `Match` block, or in a
    /// drop-in it includes) and log in as a named user who uses sudo.
    static CHECK = {
        id: "KH101",
        slug: "ssh-root-login",
        title: "SSH refuses root logins",
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
        "permitrootlogin",
        "prohibit-password",
        |v| v.eq_ignore_ascii_case("no"),
        "no",
    )
}
