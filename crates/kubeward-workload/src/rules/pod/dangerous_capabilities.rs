use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags containers that add capabilities an attacker can use to escape
    /// or take over the node or its network: `ALL`, `SYS_ADMIN`, `SYS_MODULE`,
    /// `SYS_PTRACE`, `SYS_RAWIO`, `SYS_BOOT`, `SYS_TIME`, `SYS_RESOURCE`,
    /// `NET_ADMIN`, `NET_RAW`, `BPF`, `PERFMON`, `DAC_READ_SEARCH`,
    /// `MAC_ADMIN`, `MAC_OVERRIDE`, `SYSLOG`, `LINUX_IMMUTABLE`,
    /// `AUDIT_CONTROL` and `CHECKPOINT_RESTORE`. Names are compared as the
    /// runtime does, with or without the `CAP_` prefix, in any case.
    ///
    /// ## Why is this bad?
    /// `SYS_ADMIN` is nearly root (mount, namespaces, cgroups: the classic
    /// escapes); `SYS_MODULE` loads kernel code; `SYS_PTRACE` reads other
    /// processes' memory; `DAC_READ_SEARCH` opens any file by handle (the
    /// "shocker" escape); `NET_RAW` allows spoofing and ARP/DNS attacks on the
    /// pod network; `NET_ADMIN` rewrites routing and firewall rules; `BPF` and
    /// `PERFMON` load programs into the kernel.
    ///
    /// ## How to fix
    /// Remove the capability. If the workload truly needs it, run it on
    /// dedicated nodes and document the exception with a `kubeward.io/ignore`
    /// annotation and its reason.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["ALL"]
    /// ```
    static RULE = {
        id: "KW107",
        slug: "dangerous-capabilities",
        title: "Dangerous capability added",
        severity: High,
        layer: Container,
        owasp: K01,
        references: ["CIS Kubernetes 1.12 5.2.8", "CIS Kubernetes 1.12 5.2.9", "PSS baseline: capabilities"],
        check: Check::Pod(check),
    };
}

const DANGEROUS: [&str; 19] = [
    "ALL",
    "SYS_ADMIN",
    "SYS_MODULE",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "SYS_BOOT",
    "SYS_TIME",
    "SYS_RESOURCE",
    "NET_ADMIN",
    "NET_RAW",
    "BPF",
    "PERFMON",
    "DAC_READ_SEARCH",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
    "SYSLOG",
    "LINUX_IMMUTABLE",
    "AUDIT_CONTROL",
    "CHECKPOINT_RESTORE",
];

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    for c in &pod.containers {
        let add = c.node.lookup(&["securityContext", "capabilities", "add"]);
        let mut found: Vec<(usize, &Node, String)> = Vec::new();
        for (i, cap) in add.map(Node::items).unwrap_or_default().iter().enumerate() {
            let Some(name) = cap.as_str() else { continue };
            let upper = name.to_ascii_uppercase();
            let bare = upper.strip_prefix("CAP_").unwrap_or(&upper);
            if DANGEROUS.contains(&bare) {
                found.push((i, cap, bare.to_owned()));
            }
        }
        if let Some((i, first, _)) = found.first() {
            let names: Vec<&str> = found.iter().map(|(_, _, n)| n.as_str()).collect();
            emit.at(
                first.pos,
                c.path(&format!("securityContext.capabilities.add[{i}]")),
                format!("{} adds {}", c.label(), names.join(", ")),
            );
        }
    }
}
