use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the kubelet's client certificate rotation is on. Its default is off, so an
    /// unset setting fails: kubeward reports the effective value (kube-bench passes an unset
    /// one).
    ///
    /// ## Why is this bad?
    /// Without rotation the node's credentials expire, or are renewed by hand.
    ///
    /// ## How to fix
    /// Set `rotateCertificates: true` in the kubelet configuration file and restart the
    /// kubelet.
    static CHECK = {
        id: "4.2.10",
        slug: "kubelet-rotate-certificates",
        title: "Kubelet rotates its client certificate",
        target: Node,
        automated: true,
        severity: Medium,
        owasp: K06,
        test: Test::Kubelet { flag: "--rotate-certificates", path: &["rotateCertificates"], config_default: Some("false"), flag_default: Some("false"), expect: Expect::Is("true") },
    };
}
