//! PEP 440 (Python packages): epochs, pre-releases (`a`, `b`, `rc`),
//! post-releases, dev releases, local versions, with the normalisations the
//! PEP defines (`1.0alpha1` is `1.0a1`). `pep440_rs` implements the ordering.

use std::cmp::Ordering;
use std::str::FromStr;

pub fn compare(a: &str, b: &str) -> Option<Ordering> {
    let a = pep440_rs::Version::from_str(a.trim()).ok()?;
    let b = pep440_rs::Version::from_str(b.trim()).ok()?;
    Some(a.cmp(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep_examples() {
        // The order PEP 440 gives in "Summary of permitted suffixes and relative ordering".
        let chain = [
            "1.dev0",
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.15",
            "1.1.dev1",
        ];
        for pair in chain.windows(2) {
            assert_eq!(compare(pair[0], pair[1]), Some(Ordering::Less), "{pair:?}");
        }
        assert_eq!(compare("1.0alpha1", "1.0a1"), Some(Ordering::Equal));
        assert_eq!(compare("1!0.1", "2.0"), Some(Ordering::Greater));
        assert_eq!(compare("not/a/version", "1"), None);
    }
}
