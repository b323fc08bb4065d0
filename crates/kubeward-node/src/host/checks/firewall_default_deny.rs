use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Looks for a firewall whose default for incoming traffic is to drop: an nftables `input`
    /// chain with `policy drop` (`/etc/nftables.conf`), `:INPUT DROP` in
    /// `/etc/iptables/rules.v4`, or ufw enabled with `DEFAULT_INPUT_POLICY=DROP`. (Kubernetes'
    /// own iptables or nftables rules manage pod traffic, not the host's default.)
    ///
    /// ## Why is this bad?
    /// Without a default-deny policy, any service that starts listening is reachable from the
    /// network at once.
    ///
    /// ## How to fix
    /// Write a default-deny `input` policy that allows SSH, the Kubernetes ports and the CNI's
    /// traffic, and load it at boot (nftables or ufw).
    static CHECK = {
        id: "KH701",
        slug: "firewall-default-deny",
        title: "A host firewall drops by default",
        severity: Medium,
        layer: Cluster,
        owasp: K09,
        references: [],
        check: check,
    };
}

fn check(facts: &HostFacts) -> Outcome {
    let mut unreadable = Vec::new();
    let mut read = |file: &str| {
        facts.root.read_existing(file).unwrap_or_else(|e| {
            unreadable.push(e);
            None
        })
    };
    if let Some(text) = read("/etc/nftables.conf") {
        let lower = text.to_ascii_lowercase();
        if lower.contains("hook input") && lower.contains("policy drop") {
            return Outcome::pass(vec![
                Evidence::note("nftables input chain with policy drop")
                    .in_file("/etc/nftables.conf"),
            ]);
        }
    }
    if let Some(text) = read("/etc/iptables/rules.v4")
        && text.lines().any(|l| l.trim().starts_with(":INPUT DROP"))
    {
        return Outcome::pass(vec![
            Evidence::note("iptables INPUT policy DROP").in_file("/etc/iptables/rules.v4"),
        ]);
    }
    let ufw_on =
        read("/etc/ufw/ufw.conf").is_some_and(|t| t.lines().any(|l| l.trim() == "ENABLED=yes"));
    let ufw_drop = read("/etc/default/ufw").is_some_and(|t| {
        t.lines()
            .any(|l| l.trim().replace('"', "") == "DEFAULT_INPUT_POLICY=DROP")
    });
    if ufw_on && ufw_drop {
        return Outcome::pass(vec![
            Evidence::note("ufw enabled with input policy DROP").in_file("/etc/ufw/ufw.conf"),
        ]);
    }
    if !unreadable.is_empty() {
        // The policy may be in a file that could not be read.
        return Outcome::undecided(unreadable.iter().map(|u| u.evidence()).collect());
    }
    Outcome::fail(vec![Evidence::note(
        "no nftables, iptables or ufw configuration with a default-deny input policy found",
    )])
}
