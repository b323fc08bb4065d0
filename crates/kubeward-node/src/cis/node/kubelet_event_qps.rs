use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the kubelet's event rate (`eventRecordQPS`) is not negative.
    ///
    /// ## Why is this bad?
    /// Events are part of the record of what happened on the node.
    ///
    /// ## How to fix
    /// Set `eventRecordQPS` to a suitable level in the kubelet configuration file.
    static CHECK = {
        id: "4.2.8",
        slug: "kubelet-event-qps",
        title: "Kubelet records events at an appropriate rate",
        target: Node,
        automated: false,
        severity: Low,
        owasp: K05,
        test: Test::Kubelet { flag: "--event-qps", path: &["eventRecordQPS"], config_default: Some("50"), flag_default: Some("50"), expect: Expect::AtLeast(0) },
    };
}
