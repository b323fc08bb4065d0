//! CIS 1.2.28: the encryption providers the API server writes Secrets with.

use kubeward_core::benchmark::Evidence;
use kubeward_core::yaml::{Limits, parse_documents};

use super::Outcome;
use crate::facts::{Component, NodeFacts};

/// Providers CIS accepts as the first (writing) provider.
const STRONG: [&str; 3] = ["aescbc", "kms", "secretbox"];

/// Checks the first provider of every resource list of the API server's
/// `--encryption-provider-config`.
pub(crate) fn providers(facts: &NodeFacts) -> Outcome {
    let Some(path) = facts
        .command(Component::ApiServer)
        .and_then(|c| c.get("--encryption-provider-config"))
        .and_then(|f| f.value.clone())
    else {
        return Outcome::fail(vec![
            Evidence::note("no encryption configuration: Secrets are stored in plain text")
                .setting("--encryption-provider-config", None),
        ]);
    };
    let text = match facts.root.read(&path) {
        Ok(t) => t,
        Err(e) => return Outcome::fail(vec![Evidence::note(e.to_string()).in_file(path)]),
    };
    let (docs, error) = parse_documents(&text, Limits::default());
    if let Some(e) = error {
        return Outcome::fail(vec![
            Evidence::note(e.message)
                .in_file(path)
                .at_line(Some(e.pos.line)),
        ]);
    }
    let mut evidence = Vec::new();
    let mut passed = true;
    let resources = docs
        .first()
        .and_then(|d| d.root.field("resources"))
        .map(|r| r.items().to_vec())
        .unwrap_or_default();
    for entry in &resources {
        let names: Vec<String> = entry
            .field("resources")
            .map(|r| {
                r.items()
                    .iter()
                    .filter_map(|n| n.as_str())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let first = entry
            .field("providers")
            .and_then(|p| p.items().first())
            .and_then(|p| p.as_map())
            .and_then(|m| m.entries().first());
        let Some(first) = first else {
            continue;
        };
        let ok = STRONG.contains(&first.key.as_str());
        passed &= ok;
        let note = if ok {
            format!("{} are written with {}", names.join(", "), first.key)
        } else {
            format!(
                "{} are written with {}: not one of {}",
                names.join(", "),
                first.key,
                STRONG.join(", ")
            )
        };
        evidence.push(
            Evidence::note(note)
                .in_file(path.clone())
                .at_line(Some(first.key_pos.line))
                .setting("providers[0]", Some(first.key.to_string())),
        );
    }
    if evidence.is_empty() {
        return Outcome::fail(vec![
            Evidence::note("the configuration lists no providers").in_file(path),
        ]);
    }
    Outcome::of(passed, evidence)
}
