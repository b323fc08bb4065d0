use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `makeIPTablesUtilChains` (or `--make-iptables-util-chains`) is not turned
    /// off.
    ///
    /// ## Why is this bad?
    /// The kubelet's chains keep pod networking consistent with the firewall rules it expects.
    ///
    /// ## How to fix
    /// Remove `makeIPTablesUtilChains: false` (or the flag) and restart the kubelet.
    static CHECK = {
        id: "4.2.6",
        slug: "kubelet-iptables-util-chains",
        title: "Kubelet manages iptables utility chains",
        target: Node,
        automated: true,
        severity: Low,
        owasp: K07,
        test: Test::Kubelet { flag: "--make-iptables-util-chains", path: &["makeIPTablesUtilChains"], config_default: Some("true"), flag_default: Some("true"), expect: Expect::Is("true") },
    };
}
