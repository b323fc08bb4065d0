use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Finds `NOPASSWD` in `/etc/sudoers` and the files it includes
    /// (`#includedir`/`@includedir`, `#include`).
    ///
    /// ## Why is this bad?
    /// Without a password prompt, anything running as the user (a compromised tool, a stolen
    /// session) becomes root silently.
    ///
    /// ## How to fix
    /// Remove `NOPASSWD:` from the rules, or limit it to specific, harmless commands.
    static CHECK = {
        id: "KH204",
        slug: "sudo-nopasswd",
        title: "sudo asks for a password",
        severity: High,
        layer: Cluster,
        owasp: K09,
        references: [],
        check: check,
    };
}

fn check(facts: &HostFacts) -> Outcome {
    let sudo = facts.sudo_rules();
    let found: Vec<Evidence> = sudo
        .rules
        .iter()
        .filter(|r| r.text.contains("NOPASSWD"))
        .map(|r| {
            Evidence::note(format!(
                "{} may run commands as root without a password",
                r.who
            ))
            .in_file(r.file.clone())
            .at_line(Some(r.line))
        })
        .collect();
    let outcome = if found.is_empty() {
        Outcome::pass(vec![
            Evidence::note("no NOPASSWD rule").in_file("/etc/sudoers"),
        ])
    } else {
        Outcome::fail(found)
    };
    outcome.unless_unreadable(&sudo.unreadable)
}
