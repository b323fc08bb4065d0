//! Debian versions (`deb-version(7)`): `[epoch:]upstream[-revision]`, where
//! `~` sorts before everything (even the end of the string), letters before
//! other characters, and digit runs numerically. The `debversion` crate
//! implements the ordering; this module only guards the input.

use std::cmp::Ordering;

pub fn compare(a: &str, b: &str) -> Option<Ordering> {
    let a: debversion::Version = a.trim().parse().ok()?;
    let b: debversion::Version = b.trim().parse().ok()?;
    Some(a.cmp(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_order() {
        let lt = |a, b| assert_eq!(compare(a, b), Some(Ordering::Less), "{a} < {b}");
        lt("1.0~rc1", "1.0");
        lt("1.0~~", "1.0~");
        lt("1.0", "1.0a");
        lt("1.0a", "1.0+");
        lt("1.0-1", "1.0-2");
        lt("2.0", "1:0.1");
        lt("1.2.9", "1.2.10");
        lt("3.0.11-1~deb12u1", "3.0.11-1~deb12u2");
        lt("3.0.11-1~deb12u2", "3.0.11-1");
        assert_eq!(compare("1:1.0", "1:1.0-0"), Some(Ordering::Equal));
        assert_eq!(compare("0:1.0", "1.0"), Some(Ordering::Equal));
        assert_eq!(compare("not a version!", "1.0"), None);
    }
}
