use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the kubelet's `--hostname-override` is not set.
    ///
    /// ## Why is this bad?
    /// An overridden name can break TLS verification between the API server and the kubelet.
    ///
    /// ## How to fix
    /// Remove `--hostname-override` from the kubelet's flags.
    static CHECK = {
        id: "4.2.7",
        slug: "kubelet-hostname-override",
        title: "Kubelet does not override its hostname",
        target: Node,
        automated: false,
        severity: Low,
        owasp: K09,
        test: Test::Flag { component: Component::Kubelet, flag: "--hostname-override", default: None, expect: Expect::Absent },
    };
}
