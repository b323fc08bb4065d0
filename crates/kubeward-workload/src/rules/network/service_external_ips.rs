use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Services that set `spec.externalIPs`.
    ///
    /// ## Why is this bad?
    /// Any address can be claimed as an external IP, and kube-proxy then sends
    /// the cluster's traffic for that address to the Service: whoever can create
    /// Services can intercept traffic meant for other hosts (CVE-2020-8554).
    ///
    /// ## How to fix
    /// Use a LoadBalancer or Ingress; block `externalIPs` with admission
    /// control (the `DenyServiceExternalIPs` plugin).
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   type: ClusterIP
    /// ```
    static RULE = {
        id: "KW503",
        slug: "service-external-ips",
        title: "Service claims external IPs",
        severity: Medium,
        layer: Cluster,
        owasp: K07,
        references: [],
        check: Check::Object { kinds: &["Service"], check },
    };
}

fn check(object: &Object, emit: &mut Emit<'_>) {
    if let Some(ips) = object
        .root
        .lookup(&["spec", "externalIPs"])
        .filter(|n| !n.items().is_empty())
    {
        let list: Vec<&str> = ips.items().iter().filter_map(Node::as_str).collect();
        emit.at(
            ips.pos,
            "spec.externalIPs",
            format!("Service claims external IPs {}", list.join(", ")),
        );
    }
}
