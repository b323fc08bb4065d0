use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Lists accounts with a login shell whose password field (in `/etc/shadow`, or
    /// `/etc/passwd`) is empty. Locked (`!`, `*`) accounts are fine. The evidence names the
    /// account, never a hash.
    ///
    /// ## Why is this bad?
    /// An empty password field lets anyone log in as that account wherever passwords are
    /// accepted.
    ///
    /// ## How to fix
    /// Lock the account (`passwd -l NAME`) or set a password; give service accounts a `nologin`
    /// shell.
    static CHECK = {
        id: "KH202",
        slug: "empty-passwords",
        title: "No account logs in without a password",
        severity: Critical,
        layer: Cluster,
        owasp: K09,
        references: [],
        check: check,
    };
}

fn check(facts: &HostFacts) -> Outcome {
    let accounts = facts.accounts();
    let open: Vec<Evidence> = accounts
        .list
        .iter()
        .filter(|a| a.has_login_shell() && a.empty_password())
        .map(|a| {
            Evidence::note(format!(
                "{} has a login shell ({}) and an empty password",
                a.name, a.shell
            ))
            .in_file("/etc/shadow")
        })
        .collect();
    let outcome = if open.is_empty() {
        Outcome::pass(vec![
            Evidence::note("no login account has an empty password").in_file("/etc/shadow"),
        ])
    } else {
        Outcome::fail(open)
    };
    outcome.unless_unreadable(
        accounts
            .passwd_unreadable
            .iter()
            .chain(&accounts.shadow_unreadable),
    )
}
