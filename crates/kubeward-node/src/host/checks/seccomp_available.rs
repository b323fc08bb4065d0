use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Checks the kernel build configuration (`/boot/config-*`) for `CONFIG_SECCOMP=y` and
    /// `CONFIG_SECCOMP_FILTER=y`, which `RuntimeDefault` seccomp profiles need.
    ///
    /// ## Why is this bad?
    /// Without seccomp filters, pods asking for `RuntimeDefault` (and the kubelet's
    /// `seccompDefault`) get no system-call filtering.
    ///
    /// ## How to fix
    /// Use a kernel built with `CONFIG_SECCOMP_FILTER=y` (every mainstream distribution kernel
    /// is).
    static CHECK = {
        id: "KH503",
        slug: "seccomp-available",
        title: "The kernel supports seccomp filters",
        severity: High,
        layer: Cluster,
        owasp: K09,
        references: [],
        check: check,
    };
}

fn check(facts: &HostFacts) -> Outcome {
    let configs: Vec<String> = facts
        .root
        .list("/boot")
        .into_iter()
        .filter(|n| n.starts_with("config-"))
        .map(|n| format!("/boot/{n}"))
        .collect();
    if configs.is_empty() {
        return Outcome::undecided(vec![Evidence::note(
            "no /boot/config-* to read the kernel configuration from",
        )]);
    }
    let mut evidence = Vec::new();
    let mut passed = true;
    for file in configs {
        let text = facts.root.read_opt(&file).unwrap_or_default();
        let has = |k: &str| text.lines().any(|l| l.trim() == format!("{k}=y"));
        let ok = has("CONFIG_SECCOMP") && has("CONFIG_SECCOMP_FILTER");
        passed &= ok;
        evidence.push(
            Evidence::note(if ok {
                "seccomp filters built in"
            } else {
                "CONFIG_SECCOMP_FILTER is not enabled"
            })
            .in_file(file)
            .setting(
                "CONFIG_SECCOMP_FILTER",
                Some(if ok { "y" } else { "n" }.to_owned()),
            ),
        );
    }
    Outcome::of(passed, evidence)
}
