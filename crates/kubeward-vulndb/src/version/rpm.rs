//! RPM versions: `[epoch:]version[-release]` compared with `rpmvercmp`
//! (alternating digit and letter segments, `~` before everything, `^` after
//! the base version but before any further segment). The `rpm-version` crate
//! implements the ordering; this module rejects empty input and orders a
//! missing release as rpm does.

use std::cmp::Ordering;

pub fn compare(a: &str, b: &str) -> Option<Ordering> {
    let (a, b) = (a.trim(), b.trim());
    if a.is_empty() || b.is_empty() {
        return None;
    }
    // rpm's `rpmverCmp` puts a missing release below any present one, even
    // `~1`; the crate reads a missing release as empty, which `~` sorts below.
    let (a_release, b_release) = (a.contains('-'), b.contains('-'));
    if a_release != b_release {
        let order = rpm_version::rpm_evr_compare(without_release(a), without_release(b));
        return Some(order.then(a_release.cmp(&b_release)));
    }
    Some(rpm_version::rpm_evr_compare(a, b))
}

/// `[epoch:]version` of an EVR: everything before the last `-`.
fn without_release(evr: &str) -> &str {
    evr.rsplit_once('-').map_or(evr, |(ev, _)| ev)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_order() {
        let lt = |a, b| assert_eq!(compare(a, b), Some(Ordering::Less), "{a} < {b}");
        lt("1.0~rc1", "1.0");
        lt("1.0", "1.0^git1");
        lt("1.0^git1", "1.0.1");
        lt("1.0~rc1", "1.0^git1");
        lt("2.0.1", "2.0.1a");
        lt("5.5p1", "5.5p10");
        lt("1:1.0-1", "2:0.1-1");
        lt("1.0-1.el9", "1.0-2.el9");
        lt("xyz.4", "8");
        assert_eq!(compare("10.0001", "10.1"), Some(Ordering::Equal));
        assert_eq!(compare("", "1"), None);
        lt("1:7", "1:7-~9");
        lt("1.0", "1.0-");
        lt("1.0~rc1-5", "1.0");
    }
}
