use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Secret objects whose manifest carries values in `data` or
    /// `stringData`. The finding lists the keys, never the values.
    ///
    /// ## Why is this bad?
    /// A Secret manifest with data is a credential in version control (base64
    /// is an encoding, not encryption), copied into every clone, CI log and
    /// rendered chart.
    ///
    /// ## How to fix
    /// Keep secret values out of manifests: create Secrets from a secret
    /// store (External Secrets, Sealed Secrets, SOPS, Vault) at deploy time.
    /// Rotate the committed values.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: external-secrets.io/v1
    /// kind: ExternalSecret
    /// spec:
    ///   secretStoreRef: {name: vault, kind: ClusterSecretStore}
    ///   target: {name: db-credentials}
    /// ```
    static RULE = {
        id: "KW303",
        slug: "secret-data-in-manifest",
        title: "Secret values committed in a manifest",
        severity: Medium,
        layer: Code,
        owasp: K08,
        references: [],
        check: Check::Object { kinds: &["Secret"], check },
    };
}

fn check(object: &Object, emit: &mut Emit<'_>) {
    for section in ["data", "stringData"] {
        let Some(node) = object.root.field(section) else {
            continue;
        };
        let keys: Vec<&str> = node
            .as_map()
            .map(|m| m.entries())
            .unwrap_or_default()
            .iter()
            .filter(|e| e.value.as_str().is_some_and(|v| !v.is_empty()))
            .map(|e| e.key.as_str())
            .collect();
        if !keys.is_empty() {
            emit.at(
                node.pos,
                section,
                format!(
                    "Secret carries {} value(s) in {section} (keys: {})",
                    keys.len(),
                    keys.join(", ")
                ),
            );
        }
    }
}
