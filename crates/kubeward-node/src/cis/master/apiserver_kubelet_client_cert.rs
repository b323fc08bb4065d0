use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--kubelet-client-certificate` and `--kubelet-client-key` are both set.
    ///
    /// ## Why is this bad?
    /// Without them the API server cannot authenticate to kubelets, which must then allow
    /// unauthenticated access for `exec`, `logs` and `port-forward` to work.
    ///
    /// ## How to fix
    /// Set `--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt` and
    /// `--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key`.
    static CHECK = {
        id: "1.2.4",
        slug: "apiserver-kubelet-client-cert",
        title: "API server authenticates to kubelets with a client certificate",
        target: Master,
        automated: true,
        severity: High,
        owasp: K06,
        test: Test::Custom(check),
    };
}

fn check(facts: &NodeFacts) -> Outcome {
    crate::cis::flags_set(
        facts,
        Component::ApiServer,
        &["--kubelet-client-certificate", "--kubelet-client-key"],
    )
}
