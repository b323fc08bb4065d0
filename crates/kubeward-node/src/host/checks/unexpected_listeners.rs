use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Lists TCP and UDP sockets listening on non-loopback addresses (`/proc/net/tcp`, `tcp6`,
    /// `udp`, `udp6`) with the process that owns each, and fails on ports outside the
    /// allowlist: SSH (22), the API server (6443), etcd (2379-2380), the kubelet (10250), kube-
    /// proxy's health check (10256), NodePorts (30000-32767), plus `--allow-port`.
    ///
    /// ## Why is this bad?
    /// Every listening service is reachable attack surface; on a node, anything beyond the
    /// Kubernetes ports is usually a leftover or a mistake (a database, a debug server, the
    /// kubelet's read-only port 10255).
    ///
    /// ## How to fix
    /// Stop or reconfigure the service to listen on 127.0.0.1, firewall it, or add the port
    /// with `--allow-port` when it is meant to be there.
    static CHECK = {
        id: "KH401",
        slug: "unexpected-listeners",
        title: "Only expected ports listen on the network",
        severity: High,
        layer: Cluster,
        owasp: K09,
        references: [],
        check: check,
    };
}

fn check(facts: &HostFacts) -> Outcome {
    let listeners = facts.listeners();
    let mut evidence = Vec::new();
    let mut passed = true;
    for l in &listeners.sockets {
        if l.is_loopback() {
            continue;
        }
        let allowed = facts
            .allowed_ports
            .iter()
            .any(|(lo, hi)| (*lo..=*hi).contains(&l.port));
        let owner = l.owner.as_ref().map_or_else(
            || "owner unknown".to_owned(),
            |(pid, prog)| format!("{prog}, pid {pid}"),
        );
        if !allowed {
            passed = false;
            evidence.push(
                Evidence::note(format!(
                    "{} {}:{} ({owner}) is not an expected port",
                    l.protocol, l.address, l.port
                ))
                .in_file(format!("/proc/net/{}", l.protocol))
                .setting("port", Some(l.port.to_string())),
            );
        } else if passed {
            evidence.push(
                Evidence::note(format!("{} {}:{} ({owner})", l.protocol, l.address, l.port))
                    .setting("port", Some(l.port.to_string())),
            );
        }
    }
    if !passed {
        evidence.retain(|e| e.note.contains("not an expected"));
    }
    Outcome::of(passed, evidence).unless_unreadable(&listeners.unreadable)
}
