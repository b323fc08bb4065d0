use super::{base64_len, entries};
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Checks the keys of `aescbc`, `aesgcm` and `secretbox` providers in an
    /// `EncryptionConfiguration`: each `secret` must be base64 of 32 random
    /// bytes (AES-256; `secretbox` accepts only 32). AES keys of 16 or 24
    /// bytes are accepted by the API server but are weaker; any other length,
    /// or text that is not base64, makes the API server refuse to start.
    /// The finding names the key, never its value.
    ///
    /// ## Why is this bad?
    /// A short key is easier to attack; a malformed one stops the API server
    /// at its next restart, usually during an incident.
    ///
    /// ## How to fix
    /// Generate a key with `head -c 32 /dev/urandom | base64`, add it as the
    /// first key of the provider, restart the API servers, rewrite all
    /// Secrets, then remove the old key.
    ///
    /// ## Example
    /// ```yaml
    /// providers:
    ///   - aescbc:
    ///       keys:
    ///         - name: key2
    ///           secret: …   # 44 base64 characters: 32 bytes
    /// ```
    static RULE = {
        id: "KW902",
        slug: "encryption-weak-key",
        title: "Encryption key is short or malformed",
        severity: High,
        layer: Cluster,
        owasp: K08,
        references: ["CIS 1.12 1.2.28"],
        check: Check::Object { kinds: &["EncryptionConfiguration"], check },
    };
}

fn check(object: &Object, emit: &mut Emit<'_>) {
    for (i, (_, providers)) in entries(object).into_iter().enumerate() {
        for (j, provider) in providers.iter().enumerate() {
            let Some(p) = provider.as_map().and_then(|m| m.entries().first()) else {
                continue;
            };
            if !matches!(p.key.as_str(), "aescbc" | "aesgcm" | "secretbox") {
                continue;
            }
            let keys = p.value.field("keys").map(Node::items).unwrap_or_default();
            for (k, key) in keys.iter().enumerate() {
                let name = key.field("name").and_then(Node::as_str).unwrap_or("?");
                let Some(secret) = key.field("secret") else {
                    continue;
                };
                let path = format!("resources[{i}].providers[{j}].{}.keys[{k}].secret", p.key);
                let problem = match (base64_len(secret.as_str().unwrap_or("")), p.key.as_str()) {
                    (None, _) => Some("is not valid base64".to_owned()),
                    (Some(32), _) => None,
                    (Some(n), "secretbox") => Some(format!("is {n} bytes; secretbox needs 32")),
                    (Some(n @ (16 | 24)), _) => Some(format!(
                        "is {n} bytes (AES-{}); use 32 bytes (AES-256)",
                        n * 8
                    )),
                    (Some(n), _) => Some(format!(
                        "is {n} bytes; AES keys must be 16, 24 or 32 bytes (32 recommended)"
                    )),
                };
                if let Some(problem) = problem {
                    emit.at(
                        secret.pos,
                        path,
                        format!("{} key {name:?} {problem}", p.key),
                    );
                }
            }
        }
    }
}
