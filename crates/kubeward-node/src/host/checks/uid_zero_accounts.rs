use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Lists accounts in `/etc/passwd` other than `root` whose UID is 0.
    ///
    /// ## Why is this bad?
    /// Every UID 0 account is root under another name: a second, easily overlooked way in.
    ///
    /// ## How to fix
    /// Remove the extra accounts or give them their own UIDs (`usermod -u`).
    static CHECK = {
        id: "KH201",
        slug: "uid-zero-accounts",
        title: "Only root has UID 0",
        severity: Critical,
        layer: Cluster,
        owasp: K09,
        references: [],
        check: check,
    };
}

fn check(facts: &HostFacts) -> Outcome {
    let accounts = facts.accounts();
    let extra: Vec<Evidence> = accounts
        .list
        .iter()
        .filter(|a| a.uid == 0 && a.name != "root")
        .map(|a| {
            Evidence::note(format!("{} has UID 0", a.name))
                .in_file("/etc/passwd")
                .at_line(Some(a.line))
        })
        .collect();
    let outcome = if extra.is_empty() {
        Outcome::pass(vec![
            Evidence::note("root is the only account with UID 0").in_file("/etc/passwd"),
        ])
    } else {
        Outcome::fail(extra)
    };
    outcome.unless_unreadable(&accounts.passwd_unreadable)
}
