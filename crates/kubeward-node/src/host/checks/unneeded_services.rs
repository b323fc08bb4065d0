use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Lists services enabled in systemd (links in `/etc/systemd/system/*.wants/`) that a
    /// Kubernetes node does not need: printing, mDNS, NFS and RPC, Samba, FTP, TFTP, telnet,
    /// SNMP, LDAP and DNS servers, DHCP servers, web servers, proxies, mail delivery agents,
    /// rsync.
    ///
    /// ## Why is this bad?
    /// Each extra daemon is attack surface and patch work on a machine whose only job is to run
    /// pods.
    ///
    /// ## How to fix
    /// `systemctl disable --now NAME` (and remove the package).
    static CHECK = {
        id: "KH601",
        slug: "unneeded-services",
        title: "No unneeded services are enabled",
        severity: Medium,
        layer: Cluster,
        owasp: K09,
        references: [],
        check: check,
    };
}

fn check(facts: &HostFacts) -> Outcome {
    let mut found = Vec::new();
    for wants in facts.root.list("/etc/systemd/system") {
        if !wants.ends_with(".wants") {
            continue;
        }
        let dir = format!("/etc/systemd/system/{wants}");
        for unit in facts.root.list(&dir) {
            let name = unit.rsplit_once('.').map_or(unit.as_str(), |(n, _)| n);
            if super::UNNEEDED_SERVICES.contains(&name) {
                found.push(
                    Evidence::note(format!("{unit} is enabled ({wants})"))
                        .in_file(format!("{dir}/{unit}")),
                );
            }
        }
    }
    if found.is_empty() {
        Outcome::pass(vec![
            Evidence::note("no unneeded service is enabled").in_file("/etc/systemd/system"),
        ])
    } else {
        Outcome::fail(found)
    }
}
