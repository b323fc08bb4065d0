//! Alpine (apk) versions, ordered as apk-tools 2.12 and later order them:
//!
//! `1.2.3a_rc1_p2~1a2b3c-r4`: a number, more `.`-separated numbers, one
//! optional lower-case letter, suffixes (`_alpha` < `_beta` < `_pre` < `_rc` <
//! no suffix < `_cvs` < `_svn` < `_git` < `_hg` < `_p`), each with an optional
//! number, an optional `~` commit hash, then an optional `-rN` package
//! revision. Numbers compare numerically, except that a dotted number with a
//! leading zero compares as a string (`1.01` < `1.1`, `1.01` < `1.010`). When
//! one version runs out first it is the older one, unless the other goes on
//! with a pre-release suffix.

use std::cmp::Ordering;

/// Token kinds, in the order the grammar allows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    InitialNumber,
    Number,
    Letter,
    Suffix,
    SuffixNumber,
    CommitHash,
    Revision,
    End,
}

const SUFFIXES: [&str; 10] = [
    "alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p",
];
/// The rank of "no suffix": suffixes ranked below it are pre-releases.
const NO_SUFFIX: usize = 4;

#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    kind: Kind,
    text: &'a [u8],
    /// The suffix rank, for `Kind::Suffix`.
    suffix: usize,
}

/// Splits a version into tokens; `None` when it breaks the grammar.
fn tokens(v: &str) -> Option<Vec<Token<'_>>> {
    let bytes = v.as_bytes();
    let digits = |from: usize| {
        from + bytes[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let mut out = Vec::new();
    let end = digits(0);
    if end == 0 {
        return None;
    }
    out.push(Token {
        kind: Kind::InitialNumber,
        text: &bytes[..end],
        suffix: 0,
    });
    let mut i = end;
    let mut kind = Kind::InitialNumber;
    while i < bytes.len() {
        let c = bytes[i];
        let (next, start, stop, suffix) = match c {
            b'a'..=b'z' if kind <= Kind::Number => (Kind::Letter, i, i + 1, 0),
            b'.' if kind <= Kind::Number => {
                let stop = digits(i + 1);
                (Kind::Number, i + 1, stop, 0)
            }
            b'0'..=b'9' if kind == Kind::Suffix => (Kind::SuffixNumber, i, digits(i), 0),
            b'_' if kind <= Kind::SuffixNumber => {
                let stop = i
                    + 1
                    + bytes[i + 1..]
                        .iter()
                        .take_while(|c| c.is_ascii_lowercase())
                        .count();
                let word = &bytes[i + 1..stop];
                let rank = SUFFIXES
                    .iter()
                    .position(|s| !s.is_empty() && s.as_bytes() == word)?;
                (Kind::Suffix, i + 1, stop, rank)
            }
            b'~' if kind < Kind::CommitHash => {
                let stop = i
                    + 1
                    + bytes[i + 1..]
                        .iter()
                        .take_while(|c| c.is_ascii_hexdigit())
                        .count();
                (Kind::CommitHash, i + 1, stop, 0)
            }
            b'-' if kind < Kind::Revision && bytes.get(i + 1) == Some(&b'r') => {
                (Kind::Revision, i + 2, digits(i + 2), 0)
            }
            _ => return None,
        };
        if stop == start {
            return None;
        }
        out.push(Token {
            kind: next,
            text: &bytes[start..stop],
            suffix,
        });
        kind = next;
        i = stop;
    }
    Some(out)
}

/// Compares digit strings as numbers, without overflow.
fn numeric(a: &[u8], b: &[u8]) -> Ordering {
    let strip = |s: &[u8]| -> usize { s.iter().take_while(|&&c| c == b'0').count() };
    let (a, b) = (&a[strip(a)..], &b[strip(b)..]);
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn compare_tokens(a: &Token<'_>, b: &Token<'_>) -> Ordering {
    match a.kind {
        Kind::Number if a.text[0] == b'0' || b.text[0] == b'0' => a.text.cmp(b.text),
        Kind::Number | Kind::InitialNumber | Kind::SuffixNumber | Kind::Revision => {
            numeric(a.text, b.text)
        }
        Kind::Suffix => a.suffix.cmp(&b.suffix),
        Kind::Letter | Kind::CommitHash | Kind::End => a.text.cmp(b.text),
    }
}

/// Whether `v` is a well-formed apk version.
pub fn is_valid(v: &str) -> bool {
    tokens(v).is_some()
}

pub fn compare(a: &str, b: &str) -> Option<Ordering> {
    let ta = tokens(a.trim())?;
    let tb = tokens(b.trim())?;
    let end = Token {
        kind: Kind::End,
        text: b"",
        suffix: 0,
    };
    let mut i = 0;
    loop {
        let x = ta.get(i).copied().unwrap_or(end);
        let y = tb.get(i).copied().unwrap_or(end);
        if x.kind != y.kind {
            // One goes on where the other stops or changes course: a
            // pre-release suffix makes it older, anything else newer.
            if x.kind == Kind::Suffix && x.suffix < NO_SUFFIX {
                return Some(Ordering::Less);
            }
            if y.kind == Kind::Suffix && y.suffix < NO_SUFFIX {
                return Some(Ordering::Greater);
            }
            return Some(y.kind.cmp(&x.kind));
        }
        if x.kind == Kind::End {
            return Some(Ordering::Equal);
        }
        let ord = compare_tokens(&x, &y);
        if ord != Ordering::Equal {
            return Some(ord);
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_order() {
        let chain = [
            "1.0_alpha",
            "1.0_alpha1",
            "1.0_beta",
            "1.0_pre2",
            "1.0_rc1",
            "1.0",
            "1.0-r1",
            "1.0-r10",
            "1.0_cvs",
            "1.0_git20240101",
            "1.0_p1",
            "1.0a",
            "1.0b",
            "1.0.1",
            "1.01",
            "1.1",
            "1.10",
            "2",
        ];
        for pair in chain.windows(2) {
            assert_eq!(compare(pair[0], pair[1]), Some(Ordering::Less), "{pair:?}");
            assert_eq!(
                compare(pair[1], pair[0]),
                Some(Ordering::Greater),
                "{pair:?}"
            );
        }
        assert_eq!(compare("3.1.4-r5", "3.1.4-r5"), Some(Ordering::Equal));
        assert_eq!(compare("1.0~abc1-r1", "1.0~abc2-r0"), Some(Ordering::Less));
        assert_eq!(compare("1.0-x", "1.0"), None);
        assert_eq!(compare("", "1.0"), None);
        assert_eq!(compare("1.0_foo", "1.0"), None);
        assert_eq!(compare("1.0a1", "1.0"), None);
    }
}
