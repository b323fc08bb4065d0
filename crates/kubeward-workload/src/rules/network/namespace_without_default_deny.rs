use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags namespaces that hold workloads in the scanned set but no
    /// default-deny ingress NetworkPolicy (one that selects every pod with
    /// `podSelector: {}`, applies to `Ingress`, and allows nothing). Workloads
    /// without a namespace are judged together with policies without one:
    /// such a set (a chart's `helm template` output) is deployed into one
    /// namespace, so a default-deny policy that ships with it protects it.
    /// Unlike `workload-in-default-namespace`, which cannot know the
    /// namespace chosen at deploy time and so leaves these manifests alone,
    /// this rule asks whether the set brings its own policy, which the set
    /// shows. Reported on the Namespace object when it is in the set, else on
    /// the namespace's first workload.
    ///
    /// ## Why is this bad?
    /// Without a default-deny policy every pod accepts traffic from every
    /// other pod in the cluster: one compromised workload can reach databases,
    /// admin endpoints and internal APIs everywhere.
    ///
    /// ## How to fix
    /// Add a default-deny policy to the namespace, then allow the flows each
    /// workload needs.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: default-deny, namespace: shop}
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress, Egress]
    /// ```
    static RULE = {
        id: "KW505",
        slug: "namespace-without-default-deny",
        title: "Namespace without a default-deny NetworkPolicy",
        severity: Medium,
        layer: Cluster,
        owasp: K07,
        references: ["CIS Kubernetes 1.12 5.3.2"],
        check: Check::Set(check),
    };
}

fn check(inventory: &Inventory, emit: &mut Emit<'_>) {
    let mut seen: Vec<&Option<String>> = Vec::new();
    for workload in &inventory.workloads {
        let ns = &workload.meta.namespace;
        if seen.contains(&ns) {
            continue;
        }
        seen.push(ns);
        let protected = inventory
            .network_policies
            .iter()
            .any(|p| p.denies_all_ingress && &p.meta.namespace == ns);
        if protected {
            continue;
        }
        let namespace_object = ns
            .as_deref()
            .and_then(|name| inventory.namespaces.iter().find(|n| n.name == name));
        let (target, message) = match (namespace_object, ns) {
            (object, Some(name)) => (
                object.unwrap_or(&workload.meta),
                format!(
                    "namespace {name:?} has workloads but no default-deny ingress NetworkPolicy in the scanned set"
                ),
            ),
            (_, None) => (
                &workload.meta,
                "workloads without a namespace have no default-deny ingress NetworkPolicy \
                 (also without a namespace) in the scanned set"
                    .to_owned(),
            ),
        };
        emit.on(target, target.pos, "", message);
    }
}
