//! CIS 1.2.27 and 1.2.28: how the API server writes Secrets, read from its
//! `--encryption-provider-config`.
//!
//! The API server takes, for a resource, the first `resources` entry that
//! names it (`secrets`, or the wildcards `*.` for the core group and `*.*`
//! for every group) and writes with that entry's first provider. A resource
//! no entry names is written in plain text.

use kubeward_core::benchmark::Evidence;
use kubeward_core::object::ENCRYPTION_NAMES_COVERING_SECRETS;
use kubeward_core::yaml::{Limits, Node, parse_documents};

use super::Outcome;
use crate::facts::{Component, NodeFacts};

/// Providers CIS accepts as the first (writing) provider.
const STRONG: [&str; 3] = ["aescbc", "kms", "secretbox"];

/// The provider Secrets are written with, and where it is said.
struct Writer {
    provider: String,
    file: String,
    line: u32,
    /// The `resources` name that matched (`secrets`, `*.`, `*.*`).
    matched: String,
}

impl Writer {
    fn evidence(&self, note: String) -> Evidence {
        Evidence::note(note)
            .in_file(self.file.clone())
            .at_line(Some(self.line))
            .setting("providers[0]", Some(self.provider.clone()))
    }
}

/// The provider Secrets are written with, or the outcome that says why it
/// cannot be known or there is none.
fn secrets_writer(facts: &NodeFacts) -> Result<Writer, Outcome> {
    if let Some(unreadable) = facts.command_unreadable(Component::ApiServer) {
        return Err(Outcome::undecided(vec![unreadable.evidence()]));
    }
    let Some(path) = facts
        .command(Component::ApiServer)
        .and_then(|c| c.get("--encryption-provider-config"))
        .and_then(|f| f.value.clone())
    else {
        return Err(Outcome::fail(vec![
            Evidence::note("no encryption configuration: Secrets are stored in plain text")
                .setting("--encryption-provider-config", None),
        ]));
    };
    let text = match facts.root.read_existing(&path) {
        Ok(Some(text)) => text,
        Ok(None) => {
            return Err(Outcome::fail(vec![
                Evidence::note("the encryption configuration does not exist").in_file(path),
            ]));
        }
        Err(unreadable) => return Err(Outcome::undecided(vec![unreadable.evidence()])),
    };
    let (docs, error) = parse_documents(&text, Limits::default());
    if let Some(e) = error {
        return Err(Outcome::fail(vec![
            Evidence::note(e.message)
                .in_file(path)
                .at_line(Some(e.pos.line)),
        ]));
    }
    let entries = docs
        .first()
        .and_then(|d| d.root.field("resources"))
        .map(|r| r.items().to_vec())
        .unwrap_or_default();
    let covering = entries.iter().find_map(|entry| {
        let names = entry
            .field("resources")
            .map(Node::items)
            .unwrap_or_default();
        let matched = names
            .iter()
            .filter_map(|n| n.as_str())
            .find(|n| ENCRYPTION_NAMES_COVERING_SECRETS.contains(n))?;
        Some((entry, matched.to_owned(), entry.pos.line))
    });
    let Some((entry, matched, line)) = covering else {
        return Err(Outcome::fail(vec![
            Evidence::note("Secrets are not listed in any resources entry: stored in plain text")
                .in_file(path),
        ]));
    };
    let first = entry
        .field("providers")
        .and_then(|p| p.items().first())
        .and_then(|p| p.as_map())
        .and_then(|m| m.entries().first());
    match first {
        Some(first) => Ok(Writer {
            provider: first.key.to_string(),
            file: path,
            line: first.key_pos.line,
            matched,
        }),
        None => Err(Outcome::fail(vec![
            Evidence::note(format!(
                "the resources entry for {matched} lists no providers"
            ))
            .in_file(path)
            .at_line(Some(line)),
        ])),
    }
}

/// CIS 1.2.27: Secrets are encrypted at all (their first provider is not
/// `identity`).
pub(crate) fn secrets_encrypted(facts: &NodeFacts) -> Outcome {
    match secrets_writer(facts) {
        Err(outcome) => outcome,
        Ok(w) if w.provider == "identity" => Outcome::fail(vec![w.evidence(format!(
            "Secrets (as {}) are written with identity: plain text",
            w.matched
        ))]),
        Ok(w) => Outcome::pass(vec![w.evidence(format!(
            "Secrets (as {}) are written with {}",
            w.matched, w.provider
        ))]),
    }
}

/// CIS 1.2.28: Secrets are written with a strong provider.
pub(crate) fn providers(facts: &NodeFacts) -> Outcome {
    match secrets_writer(facts) {
        Err(outcome) => outcome,
        Ok(w) => {
            let ok = STRONG.contains(&w.provider.as_str());
            let note = if ok {
                format!("Secrets (as {}) are written with {}", w.matched, w.provider)
            } else {
                format!(
                    "Secrets (as {}) are written with {}: not one of {}",
                    w.matched,
                    w.provider,
                    STRONG.join(", ")
                )
            };
            Outcome::of(ok, vec![w.evidence(note)])
        }
    }
}
