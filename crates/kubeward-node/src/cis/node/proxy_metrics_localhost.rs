use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks kube-proxy's metrics address (`--metrics-bind-address`, else `metricsBindAddress`
    /// in its `--config` file); unset means its default, 127.0.0.1:10249.
    ///
    /// ## Why is this bad?
    /// Metrics reveal the node's services and endpoints to anyone on the network.
    ///
    /// ## How to fix
    /// Set `metricsBindAddress: 127.0.0.1:10249` or remove the setting.
    static CHECK = {
        id: "4.3.1",
        slug: "proxy-metrics-localhost",
        title: "kube-proxy metrics are bound to localhost",
        target: Node,
        automated: true,
        severity: Medium,
        owasp: K07,
        test: Test::Custom(crate::cis::kubelet::proxy_metrics),
    };
}
