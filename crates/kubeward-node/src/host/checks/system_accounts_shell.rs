use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Lists system accounts (UID 1–999) that have a login shell, with whether their password
    /// is locked.
    ///
    /// ## Why is this bad?
    /// Service accounts should never log in; a shell gives an attacker who takes over the
    /// service an interactive foothold.
    ///
    /// ## How to fix
    /// `usermod -s /usr/sbin/nologin NAME` for each.
    static CHECK = {
        id: "KH203",
        slug: "system-accounts-shell",
        title: "System accounts have no login shell",
        severity: Medium,
        layer: Cluster,
        owasp: K09,
        references: [],
        check: check,
    };
}

fn check(facts: &HostFacts) -> Outcome {
    let accounts = facts.accounts();
    let found: Vec<Evidence> = accounts
        .list
        .iter()
        .filter(|a| (1..1000).contains(&a.uid) && a.has_login_shell())
        .map(|a| {
            let locked = a
                .password
                .as_deref()
                .is_some_and(|p| p.starts_with('!') || p.starts_with('*'));
            Evidence::note(format!(
                "{} (UID {}) has the shell {}{}",
                a.name,
                a.uid,
                a.shell,
                if locked {
                    "; its password is locked"
                } else {
                    ""
                }
            ))
            .in_file("/etc/passwd")
            .at_line(Some(a.line))
        })
        .collect();
    let outcome = if found.is_empty() {
        Outcome::pass(vec![
            Evidence::note("no system account has a login shell").in_file("/etc/passwd"),
        ])
    } else {
        Outcome::fail(found)
    };
    outcome.unless_unreadable(&accounts.passwd_unreadable)
}
