use super::report_pss;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags probes (`liveness`, `readiness`, `startup`) and lifecycle
    /// handlers (`postStart`, `preStop`) that set `httpGet.host` or
    /// `tcpSocket.host`.
    ///
    /// ## Why is this bad?
    /// The kubelet runs probes and handlers from the node. A `host` field
    /// makes it connect to any address the node can reach, on the pod
    /// author's behalf: a server-side request forgery from the node's network
    /// position (cloud metadata, control-plane endpoints).
    ///
    /// ## How to fix
    /// Remove `host`; the kubelet then probes the pod's own IP.
    ///
    /// ## Example
    /// ```yaml
    /// readinessProbe:
    ///   httpGet:
    ///     path: /healthz
    ///     port: 8080
    /// ```
    static RULE = {
        id: "KW122",
        slug: "probe-host-override",
        title: "Probe or lifecycle handler targets another host",
        severity: Medium,
        layer: Cluster,
        owasp: K01,
        references: ["PSS baseline: hostProbesAndHostLifecycle"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    report_pss(pod, emit, "hostProbesAndHostLifecycle", |_| true);
}
