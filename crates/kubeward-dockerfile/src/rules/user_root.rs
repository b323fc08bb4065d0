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

/// The last `USER` of a stage, or of the nearest stage it is built `FROM`
/// that sets one (a stage inherits its parent's user).
fn last_user(l: &Lint<'_>, stage: usize) -> Option<(usize, String)> {
    l.lineage(stage).into_iter().find_map(|s| {
        l.df.stage_span(s)
            .rev()
            .map(|idx| (idx, &l.df.instructions[idx]))
            .find(|(_, i)| i.keyword == "USER")
            .map(|(idx, i)| {
                (
                    idx,
                    match &i.form {
                        Form::Shell(s) => s.trim().to_owned(),
                        Form::Json(v) => v.join(" "),
                    },
                )
            })
    })
}

fn check(l: &Lint<'_>, out: &mut Vec<Hit>) {
    let Some(last) = l.final_stage() else { return };
    match last_user(l, last) {
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
