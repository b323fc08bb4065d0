use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Services of type `LoadBalancer` that are open to any address:
    /// no `loadBalancerSourceRanges` (or one containing `0.0.0.0/0` or `::/0`)
    /// and no annotation that makes the cloud load balancer internal (AWS,
    /// Azure, GCP, OCI, IBM and DigitalOcean forms are recognised).
    ///
    /// ## Why is this bad?
    /// The cloud provider gives such a Service a public address: the workload
    /// is on the internet, around the cluster's ingress controls.
    ///
    /// ## How to fix
    /// Expose HTTP through an Ingress or Gateway; otherwise make the load
    /// balancer internal or restrict `loadBalancerSourceRanges`.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   type: LoadBalancer
    ///   loadBalancerSourceRanges: ["10.0.0.0/8"]
    /// ```
    static RULE = {
        id: "KW502",
        slug: "service-loadbalancer",
        title: "Service of type LoadBalancer open to any address",
        severity: Medium,
        layer: Cloud,
        owasp: K07,
        references: [],
        check: Check::Object { kinds: &["Service"], check },
    };
}

/// Annotations (and the values) that make a cloud load balancer internal.
const INTERNAL: [(&str, &str); 7] = [
    (
        "service.beta.kubernetes.io/aws-load-balancer-internal",
        "true",
    ),
    (
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        "internal",
    ),
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        "true",
    ),
    ("networking.gke.io/load-balancer-type", "Internal"),
    (
        "service.beta.kubernetes.io/oci-load-balancer-internal",
        "true",
    ),
    (
        "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type",
        "private",
    ),
    (
        "service.beta.kubernetes.io/do-loadbalancer-type",
        "internal",
    ),
];

fn check(object: &Object, emit: &mut Emit<'_>) {
    let Some(t) = object
        .root
        .lookup(&["spec", "type"])
        .filter(|t| t.as_str() == Some("LoadBalancer"))
    else {
        return;
    };
    if INTERNAL.iter().any(|(key, value)| {
        object
            .annotation(key)
            .is_some_and(|v| v.eq_ignore_ascii_case(value))
    }) {
        return;
    }
    let ranges: Vec<&str> = object
        .root
        .lookup(&["spec", "loadBalancerSourceRanges"])
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::as_str)
        .collect();
    if ranges.is_empty()
        || ranges
            .iter()
            .any(|r| matches!(r.trim(), "0.0.0.0/0" | "::/0"))
    {
        emit.at(
            t.pos,
            "spec.type",
            "Service gets a load balancer open to any address (no internal annotation, no restrictive loadBalancerSourceRanges)",
        );
    }
}
