//! Semantic Versioning 2.0.0 precedence: build metadata is ignored, a
//! pre-release sorts before its release, pre-release identifiers compare
//! numerically when numeric and before alphanumeric ones. A leading `v` or `=`
//! (as npm accepts) is tolerated.

use std::cmp::Ordering;

pub fn compare(a: &str, b: &str) -> Option<Ordering> {
    Some(parse(a)?.cmp_precedence(&parse(b)?))
}

/// Parses a version, tolerating a `v`/`=` prefix.
pub fn parse(v: &str) -> Option<::semver::Version> {
    let v = v.trim();
    let v = v.strip_prefix('=').unwrap_or(v);
    let v = v.strip_prefix('v').unwrap_or(v);
    ::semver::Version::parse(v).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples() {
        // semver.org, item 11.
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "2.0.0",
            "2.1.0",
            "2.1.1",
        ];
        for pair in chain.windows(2) {
            assert_eq!(compare(pair[0], pair[1]), Some(Ordering::Less), "{pair:?}");
        }
        assert_eq!(
            compare("1.0.0+build.1", "1.0.0+build.2"),
            Some(Ordering::Equal)
        );
        assert_eq!(compare("v1.2.3", "1.2.3"), Some(Ordering::Equal));
        assert_eq!(compare("1.2", "1.2.0"), None);
    }
}
