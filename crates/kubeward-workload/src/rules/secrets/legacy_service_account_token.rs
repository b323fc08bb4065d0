use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Secrets of type `kubernetes.io/service-account-token`.
    ///
    /// ## Why is this bad?
    /// Such a Secret holds a service account token that never expires and is
    /// not bound to a pod. Anyone who reads it once can act as the service
    /// account until the Secret is deleted.
    ///
    /// ## How to fix
    /// Use the short-lived, audience-bound tokens the kubelet projects into
    /// pods, or `kubectl create token` / the TokenRequest API for external
    /// clients.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: token
    ///     projected:
    ///       sources:
    ///         - serviceAccountToken: {path: token, expirationSeconds: 3600}
    /// ```
    static RULE = {
        id: "KW307",
        slug: "legacy-service-account-token",
        title: "Long-lived service account token Secret",
        severity: Low,
        layer: Cluster,
        owasp: K06,
        references: [],
        check: Check::Object { kinds: &["Secret"], check },
    };
}

fn check(object: &Object, emit: &mut Emit<'_>) {
    if let Some(t) = object
        .root
        .field("type")
        .filter(|t| t.as_str() == Some("kubernetes.io/service-account-token"))
    {
        let account = object
            .annotation("kubernetes.io/service-account.name")
            .unwrap_or("(unnamed)");
        emit.at(
            t.pos,
            "type",
            format!("Secret holds a non-expiring token for ServiceAccount {account:?}"),
        );
    }
}
