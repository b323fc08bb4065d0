use super::entries;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags an `EncryptionConfiguration` whose first provider for a list of
    /// resources is `identity` (or that lists no provider at all). The API
    /// server writes new data with the first provider only; the others are
    /// used for reading.
    ///
    /// ## Why is this bad?
    /// With `identity` first, Secrets go to etcd in plain text even though
    /// the file configures an encryption key: anyone with a copy of etcd's
    /// data directory or a backup reads every Secret.
    ///
    /// ## How to fix
    /// Put `kms` (v2), `aescbc` or `secretbox` first and keep `identity`
    /// last, for reading data written before encryption was turned on. Then
    /// rewrite all Secrets so that they are stored encrypted:
    /// `kubectl get secrets -A -o json | kubectl replace -f -`, and check the
    /// result with `kubeward etcd check`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - aescbc:
    ///           keys: [{name: key1, secret: …}]   # 32 random bytes, base64
    ///       - identity: {}
    /// ```
    static RULE = {
        id: "KW901",
        slug: "encryption-identity-first",
        title: "Encryption configuration writes resources unencrypted",
        severity: High,
        layer: Cluster,
        owasp: K08,
        references: ["CIS 1.12 1.2.27", "CIS 1.12 1.2.28"],
        check: Check::Object { kinds: &["EncryptionConfiguration"], check },
    };
}

fn check(object: &Object, emit: &mut Emit<'_>) {
    for (i, (names, providers)) in entries(object).into_iter().enumerate() {
        let what = if names.is_empty() {
            "resources".to_owned()
        } else {
            names.join(", ")
        };
        let first = providers
            .first()
            .and_then(Node::as_map)
            .and_then(|m| m.entries().first());
        match first {
            Some(p) if p.key == "identity" => emit.at(
                p.key_pos,
                format!("resources[{i}].providers[0]"),
                format!("{what} are written to etcd unencrypted: identity is the first provider"),
            ),
            Some(_) => {}
            None => emit.at(
                object.root.pos,
                format!("resources[{i}].providers"),
                format!("{what} have no provider, so nothing encrypts them"),
            ),
        }
    }
}
