//! Falco expands list names textually, before a condition is parsed: a word
//! delimited by blanks, `(`, `)`, `,` or `=` that names a list becomes the
//! list's items joined with `, `. So `proc.name in (shells, zsh)` works, and
//! an empty list also removes one comma beside it.

use std::borrow::Cow;

fn is_blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn is_delim(c: u8) -> bool {
    is_blank(c) || matches!(c, b'(' | b')' | b',' | b'=')
}

/// The longest condition text list expansion may produce. Upstream rule
/// files stay far below it; the cap stops a small file from naming a large
/// list thousands of times and growing the text without end.
const MAX_EXPANDED_BYTES: usize = 1 << 20;

/// Replaces every list name in `text` by the list's items; fails once the
/// result would pass [`MAX_EXPANDED_BYTES`].
pub fn expand_lists<'t, 'l>(
    text: &'t str,
    lookup: impl Fn(&str) -> Option<&'l [String]>,
) -> Result<Cow<'t, str>, String> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if is_delim(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !is_delim(bytes[i]) {
            i += 1;
        }
        let Some(items) = lookup(&text[start..i]) else {
            continue;
        };
        let buf = out.get_or_insert_with(|| String::with_capacity(text.len() * 2));
        buf.push_str(&text[copied..start]);
        copied = i;
        if items.is_empty() {
            let kept = buf
                .trim_end_matches(|c: char| c.is_ascii_whitespace())
                .len();
            if buf[..kept].ends_with(',') {
                buf.truncate(kept - 1);
            } else {
                let mut j = i;
                while j < bytes.len() && is_blank(bytes[j]) {
                    j += 1;
                }
                if j < bytes.len() && bytes[j] == b',' {
                    copied = j + 1;
                    i = j + 1;
                }
            }
            continue;
        }
        for (n, item) in items.iter().enumerate() {
            if buf.len() > MAX_EXPANDED_BYTES {
                return Err(format!(
                    "the condition grows past {MAX_EXPANDED_BYTES} bytes as its lists are expanded"
                ));
            }
            if n > 0 {
                buf.push_str(", ");
            }
            let quoted = item.starts_with('"') || item.starts_with('\'');
            if item.bytes().any(is_blank) && !quoted {
                buf.push('"');
                buf.push_str(item);
                buf.push('"');
            } else {
                buf.push_str(item);
            }
        }
    }
    Ok(match out {
        None => Cow::Borrowed(text),
        Some(mut buf) => {
            buf.push_str(&text[copied..]);
            Cow::Owned(buf)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(text: &str) -> String {
        let shells = vec!["bash".to_owned(), "sh".to_owned()];
        let spaced = vec!["puma reactor".to_owned()];
        let empty: Vec<String> = Vec::new();
        expand_lists(text, |name| match name {
            "shells" => Some(shells.as_slice()),
            "spaced" => Some(spaced.as_slice()),
            "empty" => Some(empty.as_slice()),
            _ => None,
        })
        .unwrap()
        .into_owned()
    }

    #[test]
    fn expands_delimited_names_only() {
        assert_eq!(expand("proc.name in (shells)"), "proc.name in (bash, sh)");
        assert_eq!(
            expand("proc.name in (shells, zsh)"),
            "proc.name in (bash, sh, zsh)"
        );
        assert_eq!(expand("proc.name=shells_x"), "proc.name=shells_x");
        assert_eq!(expand("x in (spaced)"), "x in (\"puma reactor\")");
        assert_eq!(expand("x in (a, empty)"), "x in (a)");
        assert_eq!(expand("x in (empty, a)"), "x in ( a)");
        assert_eq!(expand("x in (empty)"), "x in ()");
    }

    #[test]
    fn expansion_past_the_cap_is_an_error() {
        let big: Vec<String> = (0..1000).map(|i| format!("item{i}")).collect();
        let text = format!("x in ({})", vec!["big"; 200].join(", "));
        let err =
            expand_lists(&text, |name| (name == "big").then_some(big.as_slice())).unwrap_err();
        assert!(err.contains("grows past"), "{err}");
    }
}
