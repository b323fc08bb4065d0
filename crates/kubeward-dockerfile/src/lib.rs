//! Dockerfiles: a parser of the BuildKit grammar and kubeward's hardening
//! rules for them (KW7xx), one file each, whose doc comments are their
//! documentation. Findings use kubeward-core's types, so the same renderers
//! and `# kubeward:ignore RULE[: reason]` suppressions serve them as the
//! manifest scanner's.
//!
//! This crate reads text only; it never runs a build or reads the context
//! beyond asking whether a `.dockerignore` exists.
#![forbid(unsafe_code)]

pub mod parse;
#[macro_use]
mod rule;
pub mod rules;
pub mod shell;

use std::sync::Arc;

use kubeward_core::suppress::{parse_ignores, silenced_by};
use kubeward_core::{Diagnostic, Finding, Location, Origin, Pos, RuleMeta};

pub use parse::{Dockerfile, Form, Instruction, parse};
pub use rule::{Hit, Lint, Rule};

/// The comment that silences rules for the next instruction:
/// `# kubeward:ignore KW705,KW706: vendor script, pinned by checksum`.
pub const IGNORE_COMMENT: &str = "kubeward:ignore";

/// Whether a directory walk takes a file by its name as a Dockerfile:
/// `Dockerfile` or `Containerfile` in any case, with a suffix as Compose
/// files name variants (`Dockerfile.dev`, spelt with the capital), or as an
/// extension (`api.Dockerfile`, `api.dockerfile`). Source files named after
/// Dockerfiles (`dockerfile.rs`) and BuildKit's per-Dockerfile ignore files
/// (`Dockerfile.dockerignore`) are not Dockerfiles.
pub fn is_dockerfile_name(path: &std::path::Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name.ends_with(".dockerignore") {
        return false;
    }
    ["Dockerfile", "Containerfile"].iter().any(|stem| {
        name.eq_ignore_ascii_case(stem)
            || name
                .strip_prefix(stem)
                .is_some_and(|rest| rest.starts_with('.'))
            || name
                .len()
                .checked_sub(stem.len() + 1)
                .and_then(|dot| name.get(dot..))
                .is_some_and(|tail| tail.starts_with('.') && tail[1..].eq_ignore_ascii_case(stem))
    })
}

/// What linting one Dockerfile gave.
#[derive(Debug, Default)]
pub struct LintResult {
    pub findings: Vec<Finding>,
    /// Parse problems and malformed ignore comments.
    pub errors: Vec<Diagnostic>,
    pub notices: Vec<Diagnostic>,
    pub instructions: usize,
}

/// Lints one Dockerfile's text. `name` is the file findings name;
/// `has_dockerignore` says whether the build context has a `.dockerignore`.
pub fn lint(name: &str, text: &str, has_dockerignore: bool, rules: &[&'static Rule]) -> LintResult {
    let df = parse(text);
    let file: Arc<str> = name.into();
    let origin = Arc::new(Origin::input(file.clone()));
    let mut result = LintResult {
        instructions: df.instructions.len(),
        ..LintResult::default()
    };
    for (line, message) in &df.problems {
        result
            .errors
            .push(Diagnostic::new(file.clone(), Some(*line), message.clone()));
    }
    // Ignore comments, by instruction.
    let mut ignores = Vec::with_capacity(df.instructions.len());
    for ins in &df.instructions {
        let mut list = Vec::new();
        for c in &ins.comments {
            let Some(value) = c.strip_prefix(IGNORE_COMMENT) else {
                continue;
            };
            match parse_ignores(value.trim()) {
                Ok(mut i) => list.append(&mut i),
                Err(e) => result.errors.push(Diagnostic::new(
                    file.clone(),
                    Some(ins.line.saturating_sub(1)),
                    format!("malformed `{IGNORE_COMMENT}` comment: {e}"),
                )),
            }
        }
        ignores.push(list);
    }
    let ctx = Lint {
        df: &df,
        has_dockerignore,
    };
    for rule in rules {
        let mut hits = Vec::new();
        (rule.check)(&ctx, &mut hits);
        for hit in hits {
            let ins = &df.instructions[hit.instruction];
            let suppressed = silenced_by(&ignores[hit.instruction], rule.meta.id, rule.meta.slug)
                .map(str::to_owned);
            result.findings.push(Finding {
                rule: &rule.meta,
                severity: rule.meta.severity,
                location: Location::new(origin.clone(), Pos::new(ins.line, 1)),
                object: None,
                path: hit.path,
                message: hit.message,
                suppressed,
            });
        }
    }
    result
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    result
}

/// The metadata of every Dockerfile rule.
pub fn metas() -> Vec<&'static RuleMeta> {
    rules::ALL.iter().map(|r| &r.meta).collect()
}

#[cfg(test)]
mod tests {
    use super::is_dockerfile_name;
    use std::path::Path;

    #[test]
    fn dockerfile_names() {
        for name in [
            "Dockerfile",
            "dir/dockerfile",
            "Containerfile",
            "Dockerfile.dev",
            "api.Dockerfile",
            "web.containerfile",
            "DOCKERFILE",
        ] {
            assert!(is_dockerfile_name(Path::new(name)), "{name}");
        }
        for name in [
            "Dockerfile.dockerignore",
            "Dockerfiles",
            "mydockerfile",
            "Dockerfile-old",
            "dockerfile.rs",
            "README.md",
            "dockerfile.rs.bak/x",
        ] {
            assert!(!is_dockerfile_name(Path::new(name)), "{name}");
        }
    }
}
