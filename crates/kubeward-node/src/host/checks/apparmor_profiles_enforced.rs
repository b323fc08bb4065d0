use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Reads the loaded profiles (`/sys/kernel/security/apparmor/profiles`) and reports how
    /// many are in enforce and complain mode; profiles left in complain mode only log.
    ///
    /// ## Why is this bad?
    /// A profile in complain mode protects nothing, and no profiles at all means the runtime's
    /// default profile is not there to use.
    ///
    /// ## How to fix
    /// Load the profiles (`systemctl reload apparmor`) and switch complaining ones to enforce
    /// (`aa-enforce PROFILE`).
    static CHECK = {
        id: "KH502",
        slug: "apparmor-profiles-enforced",
        title: "AppArmor profiles are loaded and enforced",
        severity: Medium,
        layer: Cluster,
        owasp: K09,
        references: [],
        check: check,
    };
}

fn check(facts: &HostFacts) -> Outcome {
    const FILE: &str = "/sys/kernel/security/apparmor/profiles";
    let text = match facts.root.read_existing(FILE) {
        Ok(Some(text)) => text,
        Ok(None) => {
            return Outcome::fail(vec![
                Evidence::note("no AppArmor profiles are loaded (securityfs shows none)")
                    .in_file(FILE),
            ]);
        }
        Err(e) => return Outcome::undecided(vec![e.evidence()]),
    };
    let mode = |m: &str| {
        text.lines()
            .filter(|l| l.trim_end().ends_with(&format!("({m})")))
            .count()
    };
    let (enforce, complain) = (mode("enforce"), mode("complain"));
    let mut evidence = vec![
        Evidence::note(format!(
            "{enforce} profiles enforced, {complain} in complain mode"
        ))
        .in_file(FILE),
    ];
    for l in text
        .lines()
        .filter(|l| l.trim_end().ends_with("(complain)"))
    {
        evidence.push(Evidence::note(format!("{} only logs", l.trim())).in_file(FILE));
    }
    if enforce == 0 {
        Outcome::fail(evidence)
    } else if complain > 0 {
        Outcome::undecided(evidence)
    } else {
        Outcome::pass(evidence)
    }
}
