use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Checks that the filesystem and protocol modules a Kubernetes node never needs (cramfs,
    /// freevxfs, hfs, hfsplus, jffs2, udf, dccp, sctp, rds, tipc) are disabled in `modprobe.d`,
    /// with `install NAME /bin/false` (or `/bin/true`) or `blacklist NAME`.
    ///
    /// ## Why is this bad?
    /// Rarely used kernel code is where local privilege escalations keep being found (dccp,
    /// sctp, rds have all had them); a container can make the kernel load a protocol module
    /// just by opening a socket.
    ///
    /// ## How to fix
    /// Add `install NAME /bin/false` and `blacklist NAME` for each to
    /// `/etc/modprobe.d/kubeward.conf` (keep `sctp` only if workloads use SCTP Services).
    static CHECK = {
        id: "KH301",
        slug: "unneeded-modules-disabled",
        title: "Unneeded kernel modules cannot be loaded",
        severity: Medium,
        layer: Cluster,
        owasp: K09,
        references: ["CIS Debian Linux 12 1.1.1", "CIS Debian Linux 12 3.2"],
        check: check,
    };
}

fn check(facts: &HostFacts) -> Outcome {
    let config = facts.modprobe_config();
    let disabled = |module: &str| {
        config.lines.iter().find(|(_, _, l)| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let same = |m: &str| m.replace('-', "_") == module.replace('-', "_");
            match f.as_slice() {
                ["install", m, cmd, ..] => {
                    same(m) && (cmd.ends_with("/false") || cmd.ends_with("/true"))
                }
                ["blacklist", m] => same(m),
                _ => false,
            }
        })
    };
    let mut evidence = Vec::new();
    let mut passed = true;
    for module in super::UNNEEDED_MODULES {
        match disabled(module) {
            Some((file, line, text)) => evidence.push(
                Evidence::note(format!("{module} disabled: {text}"))
                    .in_file(file.clone())
                    .at_line(Some(*line)),
            ),
            None => {
                passed = false;
                evidence.push(Evidence::note(format!("{module} is not disabled")));
            }
        }
    }
    if !passed {
        evidence.retain(|e| e.note.ends_with("is not disabled"));
        if !config.unreadable.is_empty() {
            // A file that could not be read may disable the rest.
            let mut shown: Vec<Evidence> = config.unreadable.iter().map(|u| u.evidence()).collect();
            shown.extend(evidence);
            return Outcome::undecided(shown);
        }
    }
    Outcome::of(passed, evidence).unless_unreadable(&config.unreadable)
}
