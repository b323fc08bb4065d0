use crate::parse::Form;
use crate::rule::{Hit, Lint};

rule! {
    /// ## What it does
    /// Flags a final build stage whose last `USER` is `root` or `0`, or that
    /// sets no `USER` at all (neither does a stage it builds on), unless its
    /// base image is a `nonroot` variant.
    ///
    /// ## Why is this bad?
    /// The container's process runs as root: escaping the container (a
    /// kernel or runtime bug, a mounted socket) makes the attacker root on
    /// the node, and Kubernetes' `runAsNonRoot` refuses to start the image.
    ///
    /// ## How to fix
    /// Create a user and switch to it, numerically, at the end of the final
    /// stage:
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN useradd --uid 10001 --no-create-home app
    /// USER 10001
    /// ```
    static RULE = {
        id: "KW701",
        slug: "dockerfile-user-root",
        title: "Final stage runs as root",
        severity: High,
        layer: Container,
        owasp: K01,
        references: ["CIS Docker 4.1", "hadolint DL3002"],
        check: check,
    };
}

fn last_user(l: &Lint<'_>, stage: usize, depth: usize) -> Option<(usize, String)> {
    let own = l
        .each("USER")
        .filter(|(_, i)| i.stage == Some(stage))
        .last()
        .map(|(idx, i)| {
            (
                idx,
                match &i.form {
                    Form::Shell(s) => s.trim().to_owned(),
                    Form::Json(v) => v.join(" "),
                },
            )
        });
    if own.is_some() || depth > 16 {
        return own;
    }
    // A stage built FROM another stage inherits its user.
    last_user(l, l.parent_stage(stage)?, depth + 1)
}

fn check(l: &Lint<'_>, out: &mut Vec<Hit>) {
    let Some(last) = l.final_stage() else { return };
    match last_user(l, last, 0) {
        Some((i, user)) => {
            let name = user.split(':').next().unwrap_or("").trim();
            if name == "root" || name == "0" {
                out.push(l.hit(i, format!("the final stage runs as `{user}`")));
            }
        }
        None => {
            let base = &l.df.stages[last].base_expanded;
            if !base.contains("nonroot") && base != "scratch" {
                out.push(l.hit(
                    l.df.stages[last].from,
                    format!(
                        "the final stage sets no USER, so it runs as root unless {base} sets one"
                    ),
                ));
            }
        }
    }
}
