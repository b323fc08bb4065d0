use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Checks that `PermitUserEnvironment` is `no` (the default).
    ///
    /// ## Why is this bad?
    /// User-set environment (`LD_PRELOAD`, `PATH`) can subvert what sshd starts for the user,
    /// and forced commands.
    ///
    /// ## How to fix
    /// Set `PermitUserEnvironment no`.
    static CHECK = {
        id: "KH107",
        slug: "ssh-user-environment",
        title: "SSH ignores user environment files",
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
        "permituserenvironment",
        "no",
        |v| v.eq_ignore_ascii_case("no"),
        "no",
    )
}
