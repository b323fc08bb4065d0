use kubeward_core::object::ENCRYPTION_NAMES_COVERING_SECRETS;

use super::entries;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags an `EncryptionConfiguration` whose first provider for a list of
    /// resources is `identity` (or that lists no provider at all), and one in
    /// which no `resources` entry covers Secrets (`secrets`, or the
    /// wildcards `*.` and `*.*`). The API server writes new data with the
    /// first provider of the first entry that names the resource; the other
    /// providers are used for reading, and a resource no entry names is
    /// written as it is.
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
    let entries = entries(object);
    let covers_secrets = entries.iter().any(|(names, _)| {
        names
            .iter()
            .any(|n| ENCRYPTION_NAMES_COVERING_SECRETS.contains(&n.as_str()))
    });
    if !covers_secrets {
        emit.at(
            object.root.pos,
            "resources".to_owned(),
            "Secrets are not listed in any resources entry: they are written to etcd unencrypted"
                .to_owned(),
        );
    }
    for (i, (names, providers)) in entries.into_iter().enumerate() {
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

#[cfg(test)]
mod tests {
    use kubeward_core::load::{LoadOptions, load_text};

    use crate::rules::{RuleSet, Settings};
    use crate::scan::Scanner;

    /// `(path, message)` of each KW901 finding.
    fn kw901(resources: &str) -> Vec<(String, String)> {
        let text = format!(
            "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n{resources}"
        );
        let loaded = load_text("enc.yaml".into(), &text, &LoadOptions::default());
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        Scanner::new(RuleSet::all(), Settings::default())
            .check_objects(&loaded.objects)
            .into_iter()
            .filter(|f| f.rule.id == "KW901")
            .map(|f| (f.path, f.message))
            .collect()
    }

    const AESCBC: &str =
        "{aescbc: {keys: [{name: k, secret: c2VjcmV0IGlzIHNlY3VyZSwgb3IgaXMgaXQ/Cg==}]}}";

    #[test]
    fn secrets_left_out_are_written_unencrypted() {
        let found = kw901(&format!(
            "  - resources: [configmaps]\n    providers: [{AESCBC}, {{identity: {{}}}}]\n"
        ));
        assert_eq!(
            found,
            [(
                "resources".to_owned(),
                "Secrets are not listed in any resources entry: they are written to etcd unencrypted"
                    .to_owned()
            )]
        );
    }

    #[test]
    fn secrets_covered_by_name_or_wildcard_pass() {
        for names in ["[secrets]", "[configmaps, secrets]", "['*.']", "['*.*']"] {
            let found = kw901(&format!(
                "  - resources: {names}\n    providers: [{AESCBC}, {{identity: {{}}}}]\n"
            ));
            assert!(found.is_empty(), "{names}: {found:?}");
        }
    }

    #[test]
    fn identity_first_is_flagged_per_entry() {
        let found = kw901(&format!(
            "  - resources: [secrets]\n    providers: [{{identity: {{}}}}, {AESCBC}]\n"
        ));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "resources[0].providers[0]");
    }
}
