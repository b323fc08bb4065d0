use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Linux pods where some container has no seccomp profile: neither
    /// its own `securityContext.seccompProfile` nor the pod's. Reported once,
    /// on the pod, naming the containers left unconfined.
    ///
    /// ## Why is this bad?
    /// Without a profile, container runtimes run the container `Unconfined`
    /// (unless the kubelet's `--seccomp-default` is on): every system call is
    /// open to it, including the rarely used ones behind most kernel escapes.
    /// `RuntimeDefault` blocks those and breaks almost nothing.
    ///
    /// ## How to fix
    /// Set `seccompProfile.type: RuntimeDefault` (or `Localhost` with a tailored
    /// profile) in the pod's `securityContext`.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     seccompProfile:
    ///       type: RuntimeDefault
    /// ```
    static RULE = {
        id: "KW115",
        slug: "seccomp-profile-missing",
        title: "No seccomp profile",
        severity: Medium,
        layer: Container,
        owasp: K01,
        references: ["CIS Kubernetes 1.12 5.6.2", "PSS restricted: seccompProfile"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    if pod.is_windows() || pod.security("seccompProfile").is_some() {
        return;
    }
    let unconfined: Vec<String> = pod
        .containers
        .iter()
        .filter(|c| c.security("seccompProfile").is_none())
        .map(|c| c.label())
        .collect();
    if !unconfined.is_empty() {
        emit.at(
            pod.security_pos(),
            pod.path("securityContext.seccompProfile"),
            format!("no seccomp profile for {}", unconfined.join(", ")),
        );
    }
}
