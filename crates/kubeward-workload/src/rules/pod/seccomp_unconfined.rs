use super::report_pss;
use crate::pss;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags seccomp profiles of type `Unconfined` (or any type other than
    /// `RuntimeDefault` or `Localhost`), on the pod or a container. The
    /// legacy annotations `seccomp.security.alpha.kubernetes.io/pod` and
    /// `container.seccomp.security.alpha.kubernetes.io/<container>` set to
    /// `unconfined` are flagged too, where the field they stand for is not
    /// set: asking for no seccomp is a stronger signal than forgetting a
    /// profile, and API servers before v1.27 copy the annotation into the
    /// field. (Newer ones ignore the annotation, and the pod then gets no
    /// profile at all, which `seccomp-profile-missing` reports as well.)
    ///
    /// ## Why is this bad?
    /// `Unconfined` turns seccomp off on purpose: the container may make every
    /// system call, including `unshare`, `keyctl`, `bpf` and the others behind
    /// most container escapes.
    ///
    /// ## How to fix
    /// Use `RuntimeDefault`, or a `Localhost` profile that allows the extra
    /// calls the workload needs.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   seccompProfile:
    ///     type: RuntimeDefault
    /// ```
    static RULE = {
        id: "KW116",
        slug: "seccomp-unconfined",
        title: "Seccomp disabled (Unconfined)",
        severity: High,
        layer: Container,
        owasp: K01,
        references: ["CIS Kubernetes 1.12 5.6.2", "PSS baseline: seccompProfile"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    report_pss(pod, emit, "seccompProfile_baseline", |_| true);
    if pod.is_windows() {
        return;
    }
    let mut unconfined = |key: String, owner: &str| {
        let Some(value) = pod
            .annotation(&key)
            .filter(|v| v.as_str() == Some("unconfined"))
        else {
            return;
        };
        emit.at(
            value.pos,
            format!("{}.annotations[{key}]", pod.metadata_path),
            format!("legacy annotation {key} turns seccomp off for {owner}"),
        );
    };
    if pod.security("seccompProfile").is_none() {
        unconfined(pss::SECCOMP_POD_ANNOTATION.to_owned(), "the pod");
    }
    for c in &pod.containers {
        if c.security("seccompProfile").is_none() {
            unconfined(
                format!("{}{}", pss::SECCOMP_CONTAINER_ANNOTATION_PREFIX, c.name),
                &c.label(),
            );
        }
    }
}
