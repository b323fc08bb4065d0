use super::ImageFinding;
use crate::scan::ScannedImage;
use kubeward_core::credential::literal_credential;

check! {
    /// ## What it does
    /// Flags credentials baked into the image configuration: environment
    /// variables and labels named like secrets (or holding values shaped like
    /// keys and tokens), and build arguments or commands in the image history
    /// that carry them (`ARG` values show up there in clear).
    ///
    /// ## Why is this bad?
    /// Anyone who can pull the image can read its configuration and history
    /// (`docker inspect`, `docker history`), whatever the file system hides.
    /// kubeward reports where the value is, never the value.
    ///
    /// ## How to fix
    /// Pass secrets at run time (a Kubernetes Secret mounted as a file), and
    /// at build time with BuildKit secret mounts
    /// (`RUN --mount=type=secret,id=token …`), never `ENV` or `ARG`. Rotate
    /// any credential that was published this way.
    static CHECK = {
        id: "KW803",
        slug: "image-secret-in-config",
        title: "Credential in the image configuration or history",
        severity: Critical,
        layer: Container,
        owasp: K08,
        references: ["CIS Docker 4.10"],
        check: check,
    };
}

/// `NAME=value` pairs in a shell command (`|2 TOKEN=… /bin/sh -c …`).
fn assignments(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.split_whitespace().filter_map(|word| {
        let (name, value) = word.split_once('=')?;
        let name = name
            .trim_start_matches("--build-arg")
            .trim_start_matches('-');
        (!name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
            .then(|| (name, value.trim_matches(['"', '\''])))
    })
}

fn check(image: &ScannedImage, out: &mut Vec<ImageFinding>) {
    let config = &image.config.config;
    for (i, var) in config.env.iter().flatten().enumerate() {
        let (name, value) = var.split_once('=').unwrap_or((var, ""));
        if let Some(why) = literal_credential(name, value) {
            out.push(ImageFinding {
                rule: &CHECK.meta,
                path: format!("config.Env[{i}]"),
                message: format!("environment variable {name} holds a value that {why}"),
            });
        }
    }
    for (name, value) in config.labels.iter().flatten() {
        if let Some(why) = literal_credential(name, value) {
            out.push(ImageFinding {
                rule: &CHECK.meta,
                path: format!("config.Labels.{name}"),
                message: format!("label {name} holds a value that {why}"),
            });
        }
    }
    for (i, step) in image.config.history.iter().enumerate() {
        let Some(command) = step.created_by.as_deref() else {
            continue;
        };
        for (name, value) in assignments(command) {
            if let Some(why) = literal_credential(name, value) {
                out.push(ImageFinding {
                    rule: &CHECK.meta,
                    path: format!("history[{i}].created_by"),
                    message: format!("build step {i} sets {name} to a value that {why}"),
                });
            }
        }
    }
}
