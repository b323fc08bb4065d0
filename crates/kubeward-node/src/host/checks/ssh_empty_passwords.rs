use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Checks that `PermitEmptyPasswords` is `no` (the default).
    ///
    /// ## Why is this bad?
    /// An account without a password would be open to anyone who can reach port 22.
    ///
    /// ## How to fix
    /// Set `PermitEmptyPasswords no`, or remove the line.
    static CHECK = {
        id: "KH103",
        slug: "ssh-empty-passwords",
        title: "SSH refuses empty passwords",
        severity: Critical,
        layer: Cluster,
        owasp: K09,
        references: [],
        check: check,
    };
}

fn check(facts: &HostFacts) -> Outcome {
    super::sshd_setting(
        facts,
        "permitemptypasswords",
        "no",
        |v| v.eq_ignore_ascii_case("no"),
        "no",
    )
}
