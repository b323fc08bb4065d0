use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags containers that receive Secrets as environment variables
    /// (`env[].valueFrom.secretKeyRef` or `envFrom[].secretRef`).
    ///
    /// ## Why is this bad?
    /// Environment variables leak: they are inherited by every child process,
    /// printed by crash handlers and debug endpoints, visible in
    /// `/proc/PID/environ` to anything sharing the process namespace, and
    /// never updated when the Secret rotates.
    ///
    /// ## How to fix
    /// Mount the Secret as a volume and have the application read the file.
    ///
    /// ## Example
    /// ```yaml
    /// volumeMounts:
    ///   - name: db
    ///     mountPath: /var/run/secrets/db
    ///     readOnly: true
    /// volumes:
    ///   - name: db
    ///     secret:
    ///       secretName: db-credentials
    /// ```
    static RULE = {
        id: "KW302",
        slug: "secret-in-env",
        title: "Secret passed as an environment variable",
        severity: Low,
        layer: Cluster,
        owasp: K08,
        references: ["CIS Kubernetes 1.12 5.4.1"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    for c in &pod.containers {
        for (i, var) in c.list("env") {
            if let Some(r) = var.lookup(&["valueFrom", "secretKeyRef"]) {
                let name = var.field("name").and_then(Node::as_str).unwrap_or("");
                let secret = r.field("name").and_then(Node::as_str).unwrap_or("");
                emit.at(
                    r.pos,
                    c.path(&format!("env[{i}].valueFrom.secretKeyRef")),
                    format!(
                        "{} env {name} takes Secret {secret:?} as an environment variable",
                        c.label()
                    ),
                );
            }
        }
        for (i, source) in c.list("envFrom") {
            if let Some(r) = source.field("secretRef") {
                let secret = r.field("name").and_then(Node::as_str).unwrap_or("");
                emit.at(
                    r.pos,
                    c.path(&format!("envFrom[{i}].secretRef")),
                    format!(
                        "{} takes every key of Secret {secret:?} as environment variables",
                        c.label()
                    ),
                );
            }
        }
    }
}
