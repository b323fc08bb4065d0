use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Checks `/sys/module/apparmor/parameters/enabled` for `Y`.
    ///
    /// ## Why is this bad?
    /// Container runtimes confine containers with AppArmor profiles (`runtime/default`);
    /// without AppArmor that layer is silently missing.
    ///
    /// ## How to fix
    /// Enable AppArmor on the kernel command line (`apparmor=1 security=apparmor`), install
    /// `apparmor`, and reboot.
    static CHECK = {
        id: "KH501",
        slug: "apparmor-enabled",
        title: "AppArmor is enabled",
        severity: High,
        layer: Cluster,
        owasp: K09,
        references: [],
        check: check,
    };
}

fn check(facts: &HostFacts) -> Outcome {
    const FILE: &str = "/sys/module/apparmor/parameters/enabled";
    let value = match facts.root.read_existing(FILE) {
        Ok(value) => value.map(|t| t.trim().to_owned()),
        Err(e) => return Outcome::undecided(vec![e.evidence()]),
    };
    match value {
        Some(v) => Outcome::of(
            v == "Y",
            vec![
                Evidence::note(if v == "Y" {
                    "AppArmor is enabled"
                } else {
                    "AppArmor is disabled"
                })
                .in_file(FILE)
                .setting("enabled", Some(v)),
            ],
        ),
        None => Outcome::fail(vec![
            Evidence::note("the kernel has no AppArmor module").in_file(FILE),
        ]),
    }
}
