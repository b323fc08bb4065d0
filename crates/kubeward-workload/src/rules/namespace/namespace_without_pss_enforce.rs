use super::ENFORCE_LABEL;
use crate::pss::Level;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Namespaces without a valid `pod-security.kubernetes.io/enforce`
    /// label (`baseline` or `restricted`; `privileged` is reported by
    /// `namespace-pss-privileged`).
    ///
    /// ## Why is this bad?
    /// Without the label, Pod Security Admission enforces only the cluster's
    /// default, which is `privileged` (nothing) unless an administrator
    /// changed it: any pod, privileged or with host mounts, is admitted.
    ///
    /// ## How to fix
    /// Label the namespace with the strictest level its workloads meet, and
    /// pin the policy version.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   labels:
    ///     pod-security.kubernetes.io/enforce: restricted
    ///     pod-security.kubernetes.io/enforce-version: v1.34
    /// ```
    static RULE = {
        id: "KW601",
        slug: "namespace-without-pss-enforce",
        title: "Namespace enforces no Pod Security level",
        severity: Medium,
        layer: Cluster,
        owasp: K04,
        references: ["CIS Kubernetes 1.12 5.2.1"],
        check: Check::Object { kinds: &["Namespace"], check },
    };
}

fn check(object: &Object, emit: &mut Emit<'_>) {
    let labels = object.root.lookup(&["metadata", "labels"]);
    match labels.and_then(|l| l.field(ENFORCE_LABEL)) {
        None => emit.at(
            labels.unwrap_or(&object.root).pos,
            format!("metadata.labels[{ENFORCE_LABEL}]"),
            format!("Namespace has no {ENFORCE_LABEL} label"),
        ),
        Some(value)
            if value
                .as_str()
                .and_then(|v| v.parse::<Level>().ok())
                .is_none() =>
        {
            emit.at(
                value.pos,
                format!("metadata.labels[{ENFORCE_LABEL}]"),
                format!(
                    "{ENFORCE_LABEL} is not a Pod Security level (privileged, baseline, restricted)"
                ),
            )
        }
        Some(_) => {}
    }
}
