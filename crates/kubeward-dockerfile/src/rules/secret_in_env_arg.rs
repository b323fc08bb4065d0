use kubeward_core::credential::literal_credential;

use crate::parse::{Form, arg_defaults};
use crate::rule::{Hit, Lint};

rule! {
    /// ## What it does
    /// Flags `ENV` values that are credentials (named like one, or shaped
    /// like a key or token) and `ARG`s named like credentials.
    ///
    /// ## Why is this bad?
    /// `ENV` values are stored in the image configuration and `ARG` values in
    /// its history: anyone who can pull the image reads them with
    /// `docker inspect` or `docker history`. kubeward reports where, never
    /// the value.
    ///
    /// ## How to fix
    /// Use BuildKit secrets at build time and Kubernetes Secrets at run time:
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci
    /// ```
    static RULE = {
        id: "KW703",
        slug: "dockerfile-secret-in-env-arg",
        title: "Credential in ENV or ARG",
        severity: Critical,
        layer: Container,
        owasp: K08,
        references: ["CIS Docker 4.10", "hadolint DL3044"],
        check: check,
    };
}

/// `ENV a=b c=d` or the legacy `ENV a b`.
fn env_pairs(text: &str) -> Vec<(String, String)> {
    let words = crate::shell::words(text);
    if words.first().is_some_and(|w| !w.contains('=')) {
        let name = words[0].clone();
        return vec![(name, words[1..].join(" "))];
    }
    words
        .into_iter()
        .filter_map(|w| w.split_once('=').map(|(a, b)| (a.to_owned(), b.to_owned())))
        .collect()
}

fn check(l: &Lint<'_>, out: &mut Vec<Hit>) {
    for (i, ins) in l.each("ENV") {
        let Form::Shell(text) = &ins.form else {
            continue;
        };
        for (name, value) in env_pairs(text) {
            if let Some(why) = literal_credential(&name, &value) {
                out.push(l.hit(i, format!("ENV {name} holds a value that {why}")));
            }
        }
    }
    for (i, ins) in l.each("ARG") {
        let Form::Shell(text) = &ins.form else {
            continue;
        };
        for (name, default) in arg_defaults(text) {
            // A build argument named like a secret lands in the history
            // whatever value the build passes.
            if literal_credential(&name, default.as_deref().unwrap_or("x-value")).is_some() {
                out.push(l.hit(
                    i,
                    format!("ARG {name} carries a credential, which the image history keeps"),
                ));
            }
        }
    }
}
