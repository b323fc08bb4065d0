use super::ENFORCE_LABEL;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Namespaces labelled `pod-security.kubernetes.io/enforce: privileged`.
    ///
    /// ## Why is this bad?
    /// `privileged` turns Pod Security Admission off for the namespace: pods
    /// with host namespaces, host paths and privileged containers are
    /// admitted, and anyone who can create pods there can take over nodes.
    ///
    /// ## How to fix
    /// Enforce `baseline` or `restricted`, and move the few workloads that
    /// need privilege into a dedicated, tightly controlled namespace.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   labels:
    ///     pod-security.kubernetes.io/enforce: baseline
    /// ```
    static RULE = {
        id: "KW602",
        slug: "namespace-pss-privileged",
        title: "Namespace enforces the privileged level",
        severity: High,
        layer: Cluster,
        owasp: K04,
        references: ["CIS Kubernetes 1.12 5.2.1"],
        check: Check::Object { kinds: &["Namespace"], check },
    };
}

fn check(object: &Object, emit: &mut Emit<'_>) {
    if let Some(value) = object
        .root
        .lookup(&["metadata", "labels", ENFORCE_LABEL])
        .filter(|v| v.as_str() == Some("privileged"))
    {
        emit.at(
            value.pos,
            format!("metadata.labels[{ENFORCE_LABEL}]"),
            "Namespace enforces Pod Security level privileged (no restriction)",
        );
    }
}
