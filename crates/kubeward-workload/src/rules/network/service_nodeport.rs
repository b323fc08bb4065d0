use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Services of type `NodePort`.
    ///
    /// ## Why is this bad?
    /// A NodePort opens the same port on every node of the cluster, on every
    /// node address, usually outside the reach of NetworkPolicies and of the
    /// ingress layer's TLS, authentication and logging.
    ///
    /// ## How to fix
    /// Use a `ClusterIP` Service behind an Ingress or Gateway, or an internal
    /// load balancer.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   type: ClusterIP
    /// ```
    static RULE = {
        id: "KW501",
        slug: "service-nodeport",
        title: "Service of type NodePort",
        severity: Low,
        layer: Cluster,
        owasp: K07,
        references: [],
        check: Check::Object { kinds: &["Service"], check },
    };
}

fn check(object: &Object, emit: &mut Emit<'_>) {
    if let Some(t) = object
        .root
        .lookup(&["spec", "type"])
        .filter(|t| t.as_str() == Some("NodePort"))
    {
        emit.at(
            t.pos,
            "spec.type",
            "Service opens a port on every node (type NodePort)",
        );
    }
}
