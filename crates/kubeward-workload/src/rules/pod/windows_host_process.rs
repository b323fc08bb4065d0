use super::report_pss;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags pods and containers with `windowsOptions.hostProcess: true`.
    ///
    /// ## Why is this bad?
    /// A Windows HostProcess container runs directly on the Windows node, with
    /// the node's network and filesystem, as a host account: the equivalent of
    /// a privileged container on Linux.
    ///
    /// ## How to fix
    /// Remove `hostProcess: true`; keep host-level agents in a dedicated,
    /// reviewed namespace.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   windowsOptions:
    ///     hostProcess: false
    /// ```
    static RULE = {
        id: "KW121",
        slug: "windows-host-process",
        title: "Windows HostProcess container",
        severity: Critical,
        layer: Container,
        owasp: K01,
        references: ["CIS Kubernetes 1.12 5.2.10", "PSS baseline: windowsHostProcess"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    report_pss(pod, emit, "windowsHostProcess", |_| true);
}
