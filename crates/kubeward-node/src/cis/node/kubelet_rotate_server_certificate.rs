use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the `RotateKubeletServerCertificate` feature gate is not turned off, on the
    /// command line or in `featureGates`.
    ///
    /// ## Why is this bad?
    /// Without rotation, the kubelet's serving certificate is never renewed.
    ///
    /// ## How to fix
    /// Remove `RotateKubeletServerCertificate=false` from the kubelet's feature gates.
    static CHECK = {
        id: "4.2.11",
        slug: "kubelet-rotate-server-certificate",
        title: "Kubelet serving certificate rotation is not disabled",
        target: Node,
        automated: false,
        severity: Medium,
        owasp: K09,
        test: Test::Custom(crate::cis::kubelet::rotate_server_certificate),
    };
}
