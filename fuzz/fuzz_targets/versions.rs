//! OSV records and every version ordering on arbitrary input.
#![no_main]

use kubeward_vulndb::Scheme;
use kubeward_vulndb::osv::Record;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = Record::parse(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let mid = (0..=text.len() / 2).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let (a, b) = text.split_at(mid);
        for s in [Scheme::Dpkg, Scheme::Apk, Scheme::Rpm, Scheme::Semver, Scheme::Pep440, Scheme::Maven, Scheme::Go] {
            if let (Some(x), Some(y)) = (s.compare(a, b), s.compare(b, a)) {
                assert_eq!(x, y.reverse(), "{s:?} {a:?} {b:?}");
            }
        }
    }
});
