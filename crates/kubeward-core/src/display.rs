//! Text taken from input, made fit to show in one line of a message or a
//! report: a name or a key may hold newlines or terminal escapes.

/// `text` with control characters escaped (`\n`, `\u{1b}`), cut to `most`
/// characters with `…` when longer.
pub fn one_line(text: &str, most: usize) -> String {
    let mut shown = String::new();
    for c in text.chars().take(most) {
        if c.is_control() {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    if text.chars().nth(most).is_some() {
        shown.push('…');
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn control_characters_are_escaped_and_long_text_cut() {
        assert_eq!(one_line("a\nb\u{1b}[31m", 64), r"a\nb\u{1b}[31m");
        assert_eq!(one_line("abcdef", 3), "abc…");
        assert_eq!(one_line("abc", 3), "abc");
        assert_eq!(one_line("", 3), "");
    }
}
