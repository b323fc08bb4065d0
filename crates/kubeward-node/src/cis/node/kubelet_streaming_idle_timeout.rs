use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the kubelet's streaming idle timeout is not zero. A zero in the
    /// configuration file means the default (4h), as the kubelet defaults it; a zero flag means
    /// no timeout.
    ///
    /// ## Why is this bad?
    /// Idle `exec` and `port-forward` sessions that never time out can be left open and abused.
    ///
    /// ## How to fix
    /// Set `streamingConnectionIdleTimeout: 5m` in the kubelet configuration file.
    static CHECK = {
        id: "4.2.5",
        slug: "kubelet-streaming-idle-timeout",
        title: "Kubelet streaming connections time out",
        target: Node,
        automated: false,
        severity: Medium,
        owasp: K09,
        test: Test::Custom(crate::cis::kubelet::streaming_timeout),
    };
}
