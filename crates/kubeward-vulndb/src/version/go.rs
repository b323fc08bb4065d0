//! Go module versions: semantic versions with a `v` prefix, compared as
//! `golang.org/x/mod/semver` does: `+incompatible` and other build metadata
//! are ignored, and the shorthands `v1` and `v1.2` mean `v1.0.0` and
//! `v1.2.0`. Pseudo-versions (`v0.0.0-20191109021931-daa7c04131f5`,
//! `v1.2.4-0.20191109021931-daa7c04131f5`) are pre-releases built so that
//! this ordering puts them after the release they derive from and before the
//! next one. OSV writes Go versions without the `v`; both are accepted.

use std::cmp::Ordering;

pub fn compare(a: &str, b: &str) -> Option<Ordering> {
    Some(parse(a)?.cmp_precedence(&parse(b)?))
}

fn parse(v: &str) -> Option<::semver::Version> {
    let v = v.trim();
    let v = v.strip_prefix('v').unwrap_or(v);
    // Shorthands apply only to versions without pre-release or build parts.
    let core_end = v.find(['-', '+']).unwrap_or(v.len());
    let dots = v[..core_end].matches('.').count();
    let expanded;
    let v = if core_end == v.len() && dots < 2 {
        expanded = if dots == 0 {
            format!("{v}.0.0")
        } else {
            format!("{v}.0")
        };
        expanded.as_str()
    } else {
        v
    };
    ::semver::Version::parse(v).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudo_versions_sit_between_releases() {
        let lt = |a, b| assert_eq!(compare(a, b), Some(Ordering::Less), "{a} < {b}");
        lt("v0.0.0-20191109021931-daa7c04131f5", "v0.0.1");
        lt("v1.2.3", "v1.2.4-0.20191109021931-daa7c04131f5");
        lt("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4");
        lt(
            "v1.2.4-0.20191109021931-daa7c04131f5",
            "v1.2.4-0.20201109021931-aaa7c04131f5",
        );
        lt("v1.2.4-pre", "v1.2.4-pre.0.20191109021931-daa7c04131f5");
        assert_eq!(
            compare("v2.0.0+incompatible", "2.0.0"),
            Some(Ordering::Equal)
        );
        assert_eq!(compare("v1", "v1.0.0"), Some(Ordering::Equal));
        assert_eq!(compare("v1.2", "1.2.0"), Some(Ordering::Equal));
        assert_eq!(compare("(devel)", "1.0.0"), None);
    }
}
