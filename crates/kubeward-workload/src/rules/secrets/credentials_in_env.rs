use crate::rules::prelude::*;
use kubeward_core::credential::literal_credential;

rule! {
    /// ## What it does
    /// Flags container environment variables whose literal `value` is a
    /// credential: by the variable's name, or by the value's shape. A name
    /// counts when it *ends* with a credential word (`PASSWORD`, `PASSWD`,
    /// `SECRET`, `TOKEN`, `API_KEY`, `ACCESS_KEY`, `PRIVATE_KEY`,
    /// `CREDENTIAL`, `AUTH_KEY`, `CONNECTION_STRING`; a plural `S` and
    /// trailing digits aside), optionally followed by `_KEY` or `_VALUE`:
    /// `DB_PASSWORD`, `CLIENT_SECRET`, `DJANGO_SECRET_KEY`, `API_TOKEN2`. A
    /// name that goes on after the word is about a credential, not one:
    /// `TOKEN_AUDIENCE`, `SECRET_STORE`, `PASSWORD_FILE`, `TOKEN_TTL`. For
    /// `…_SECRET_KEY`-style names, a value that itself names a credential
    /// (`client-secret`, the key of a Secret) is a reference, not a
    /// credential. The shapes are private keys, AWS access key ids, GitHub,
    /// GitLab, Slack and Stripe tokens, Google API keys, JSON Web Tokens and
    /// URLs with a password. Substitutions such as
    /// `$(VAR)`, paths, flags and small numbers are not credentials. The
    /// finding names the variable, never the value.
    ///
    /// ## Why is this bad?
    /// A credential written into a manifest is in version control, in every
    /// rendered chart, in `kubectl get -o yaml` output and in the API server's
    /// audit log, readable by anyone who can read the workload.
    ///
    /// ## How to fix
    /// Store the value in a Secret (or an external secret store) and mount it
    /// as a file; at the least, reference it with `valueFrom.secretKeyRef`.
    /// Rotate the exposed credential.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   - name: DB_PASSWORD_FILE
    ///     value: /var/run/secrets/db/password
    /// ```
    static RULE = {
        id: "KW301",
        slug: "credentials-in-env",
        title: "Credential in a literal environment value",
        severity: High,
        layer: Code,
        owasp: K08,
        references: [],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    for c in &pod.containers {
        for (i, var) in c.list("env") {
            let name = var.field("name").and_then(Node::as_str).unwrap_or("");
            let Some(value) = var.field("value") else {
                continue;
            };
            let Some(text) = value.as_str() else { continue };
            if let Some(why) = literal_credential(name, text) {
                emit.at(
                    value.pos,
                    c.path(&format!("env[{i}].value")),
                    format!("{} env {name} holds a literal value that {why}", c.label()),
                );
            }
        }
    }
}
