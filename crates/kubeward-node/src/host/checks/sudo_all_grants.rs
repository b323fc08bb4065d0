use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Finds sudo rules that let anyone other than `root` and the `%sudo`, `%admin` and
    /// `%wheel` groups run `ALL` commands; each needs a person's review (WARN).
    ///
    /// ## Why is this bad?
    /// An `ALL` grant to a user or a service account is full root access, outside the group
    /// that is meant to hold it.
    ///
    /// ## How to fix
    /// Add administrators to the `sudo` group instead, and give others only the commands they
    /// need.
    static CHECK = {
        id: "KH205",
        slug: "sudo-all-grants",
        title: "sudo grants ALL only to administrators",
        severity: Medium,
        layer: Cluster,
        owasp: K09,
        references: [],
        check: check,
    };
}

fn check(facts: &HostFacts) -> Outcome {
    const ADMINS: [&str; 4] = ["root", "%sudo", "%admin", "%wheel"];
    let sudo = facts.sudo_rules();
    let found: Vec<Evidence> = sudo
        .rules
        .iter()
        .filter(|r| !ADMINS.contains(&r.who.as_str()))
        .filter(|r| {
            r.text
                .rsplit(':')
                .next()
                .unwrap_or("")
                .split(',')
                .any(|c| c.trim() == "ALL")
                || r.text.trim_end().ends_with(" ALL")
        })
        .map(|r| {
            Evidence::note(format!("{} may run ALL commands", r.who))
                .in_file(r.file.clone())
                .at_line(Some(r.line))
        })
        .collect();
    let outcome = if found.is_empty() {
        Outcome::pass(vec![
            Evidence::note("ALL is granted only to root and administrator groups")
                .in_file("/etc/sudoers"),
        ])
    } else {
        Outcome::undecided(found)
    };
    outcome.unless_unreadable(&sudo.unreadable)
}
