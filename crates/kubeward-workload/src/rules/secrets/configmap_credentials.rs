use crate::rules::prelude::*;
use kubeward_core::credential::literal_credential;

rule! {
    /// ## What it does
    /// Flags ConfigMap `data` entries that hold credentials: an entry named
    /// like a credential with a literal value, a value shaped like one (see
    /// `credentials-in-env`), or a line of an embedded configuration file
    /// (`password=…`, `api_key: …`) that sets one. The finding names the entry
    /// and line, never the value.
    ///
    /// ## Why is this bad?
    /// ConfigMaps are not meant for secrets: they are readable by anyone with
    /// `get configmaps`, never encrypted at rest, and printed freely by tools.
    ///
    /// ## How to fix
    /// Move the credential into a Secret and mount it; keep only non-secret
    /// settings in the ConfigMap. Rotate the exposed credential.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Secret
    /// type: Opaque
    /// stringData:
    ///   db-password: …   # from your secret store, not from git
    /// ```
    static RULE = {
        id: "KW306",
        slug: "configmap-credentials",
        title: "Credential in a ConfigMap",
        severity: High,
        layer: Code,
        owasp: K08,
        references: [],
        check: Check::Object { kinds: &["ConfigMap"], check },
    };
}

fn check(object: &Object, emit: &mut Emit<'_>) {
    let Some(data) = object.root.field("data").and_then(Node::as_map) else {
        return;
    };
    for entry in data.entries() {
        let Some(value) = entry.value.as_str() else {
            continue;
        };
        let path = format!("data[{:?}]", entry.key);
        if let Some(why) = literal_credential(&entry.key, value) {
            emit.at(
                entry.value.pos,
                path,
                format!(
                    "ConfigMap key {:?} holds a literal value that {why}",
                    entry.key
                ),
            );
        } else if let Some((n, key, why)) = embedded_credential(value) {
            emit.at(
                entry.value.pos,
                path,
                format!("ConfigMap key {:?}, line {n} of its value: setting {key:?} holds a literal value that {why}", entry.key),
            );
        }
    }
}

/// The first `key = value` or `key: value` line of an embedded file that
/// sets a credential: (line number, key, why).
fn embedded_credential(text: &str) -> Option<(usize, &str, String)> {
    if !text.contains('\n') {
        return None;
    }
    text.lines().zip(1..).find_map(|(line, n)| {
        let line = line.trim().trim_start_matches("export ");
        if line.starts_with('#') || line.starts_with("//") {
            return None;
        }
        let (key, value) = line.split_once('=').or_else(|| line.split_once(": "))?;
        let key = key.trim().trim_matches('"');
        let value = value.trim().trim_end_matches(',').trim_matches(['"', '\'']);
        literal_credential(key, value).map(|why| (n, key, why))
    })
}

#[cfg(test)]
mod tests {
    use super::embedded_credential;

    #[test]
    fn embedded_files() {
        let props = "server.port=8080\nspring.datasource.password=hunter2\n";
        assert_eq!(
            embedded_credential(props).map(|(n, k, _)| (n, k)),
            Some((2, "spring.datasource.password"))
        );
        assert!(embedded_credential("# password=x\nlog: debug\n").is_none());
        assert!(embedded_credential("db_password_file: /run/x\n").is_none());
    }
}
