//! Silencing rules for one object with the `kubeward.io/ignore` annotation.
//!
//! The value lists rule ids or slugs, separated by commas, optionally followed
//! by `: reason`; several such groups may be separated by `;`:
//!
//! ```yaml
//! metadata:
//!   annotations:
//!     kubeward.io/ignore: "KW113,KW114: node-exporter reads /proc; KW201: pinned by the chart"
//! ```

/// The annotation key that silences rules for an object.
pub const IGNORE_ANNOTATION: &str = "kubeward.io/ignore";

/// One group of an ignore annotation: the rules it names and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ignore {
    pub rules: Vec<String>,
    pub reason: Option<String>,
}

/// Parses an ignore annotation's value. Empty groups are an error, so that a
/// typo does not silence nothing without a word.
pub fn parse_ignores(value: &str) -> Result<Vec<Ignore>, String> {
    let mut out = Vec::new();
    for group in value.split(';').map(str::trim).filter(|g| !g.is_empty()) {
        let (ids, reason) = match group.split_once(':') {
            Some((ids, reason)) => (ids, Some(reason.trim()).filter(|r| !r.is_empty())),
            None => (group, None),
        };
        let rules: Vec<String> = ids
            .split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
            .collect();
        if rules.is_empty() {
            return Err(format!("`{group}` names no rule"));
        }
        out.push(Ignore {
            rules,
            reason: reason.map(str::to_owned),
        });
    }
    if out.is_empty() {
        return Err("the annotation names no rule".to_owned());
    }
    Ok(out)
}

/// The reason an ignore list gives for silencing a rule, if it does.
/// `Some("")` means silenced without a stated reason.
pub fn silenced_by<'a>(ignores: &'a [Ignore], id: &str, slug: &str) -> Option<&'a str> {
    ignores
        .iter()
        .find(|ig| {
            ig.rules
                .iter()
                .any(|r| r.eq_ignore_ascii_case(id) || r.eq_ignore_ascii_case(slug))
        })
        .map(|ig| ig.reason.as_deref().unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_ids_and_reasons() {
        let ig = parse_ignores("KW101, run-as-root: legacy image; KW201").unwrap();
        assert_eq!(ig.len(), 2);
        assert_eq!(ig[0].rules, ["KW101", "run-as-root"]);
        assert_eq!(ig[0].reason.as_deref(), Some("legacy image"));
        assert_eq!(ig[1].reason, None);
        assert_eq!(silenced_by(&ig, "KW201", "x"), Some(""));
        assert_eq!(
            silenced_by(&ig, "KW999", "run-as-root"),
            Some("legacy image")
        );
        assert_eq!(silenced_by(&ig, "KW999", "other"), None);
    }

    #[test]
    fn empty_groups_are_errors() {
        assert!(parse_ignores("").is_err());
        assert!(parse_ignores(": because").is_err());
        assert!(parse_ignores(" ; ").is_err());
    }
}
