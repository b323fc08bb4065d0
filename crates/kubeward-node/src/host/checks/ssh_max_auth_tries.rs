use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Checks that `MaxAuthTries` is 4 or fewer (the default is 6).
    ///
    /// ## Why is this bad?
    /// Fewer tries per connection slow down guessing.
    ///
    /// ## How to fix
    /// Set `MaxAuthTries 4`.
    static CHECK = {
        id: "KH104",
        slug: "ssh-max-auth-tries",
        title: "SSH limits authentication attempts",
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
        "maxauthtries",
        "6",
        |v| v.parse::<u32>().is_ok_and(|n| n <= 4),
        "4 or fewer",
    )
}
