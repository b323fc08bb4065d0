//! Just enough shell to read `RUN` lines: split into pipelines and simple
//! commands, and commands into words (quotes removed). It does not expand or
//! evaluate anything.

/// A simple command: its words.
pub type Command = Vec<String>;

/// Splits a word list, honouring single and double quotes and backslashes.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut has_word = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => {
                if let Some(n) = chars.next() {
                    current.push(n);
                }
            }
            (Some(_), c) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                has_word = true;
            }
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    current.push(n);
                    has_word = true;
                }
            }
            (None, c) if c.is_whitespace() => {
                if has_word || !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                    has_word = false;
                }
            }
            (None, c) => {
                current.push(c);
                has_word = true;
            }
        }
    }
    if has_word || !current.is_empty() {
        out.push(current);
    }
    out
}

/// Pipelines (separated by `;`, `&&`, `||`, newlines), each a list of
/// commands (separated by `|`).
pub fn pipelines(text: &str) -> Vec<Vec<Command>> {
    let mut out = Vec::new();
    let mut pipeline: Vec<Command> = Vec::new();
    let mut segment = String::new();
    let mut quote: Option<char> = None;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let flush_segment = |segment: &mut String, pipeline: &mut Vec<Command>| {
        let w = words(segment);
        if !w.is_empty() {
            pipeline.push(w);
        }
        segment.clear();
    };
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
                segment.push(c);
            }
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    segment.push(c);
                }
                ';' | '\n' => {
                    flush_segment(&mut segment, &mut pipeline);
                    out.push(std::mem::take(&mut pipeline));
                }
                '&' | '|' if chars.get(i + 1) == Some(&c) => {
                    flush_segment(&mut segment, &mut pipeline);
                    out.push(std::mem::take(&mut pipeline));
                    i += 1;
                }
                '|' => flush_segment(&mut segment, &mut pipeline),
                _ => segment.push(c),
            },
        }
        i += 1;
    }
    flush_segment(&mut segment, &mut pipeline);
    out.push(pipeline);
    out.retain(|p| !p.is_empty());
    out
}

/// All simple commands of a text, with leading `sudo`, `env` assignments and
/// the like removed (`sudo apt-get install x` → `apt-get install x`).
pub fn commands(text: &str) -> Vec<Command> {
    pipelines(text)
        .into_iter()
        .flatten()
        .map(strip_prefixes)
        .collect()
}

/// Drops `sudo`, `env`, `VAR=value` prefixes and `exec`.
pub fn strip_prefixes(mut c: Command) -> Command {
    loop {
        match c.first().map(String::as_str) {
            Some("sudo" | "env" | "exec" | "command" | "nice") => {
                c.remove(0);
                while c.first().is_some_and(|w| w.starts_with('-')) {
                    c.remove(0);
                }
            }
            Some(w)
                if w.contains('=')
                    && !w.starts_with('-')
                    && w.split('=').next().is_some_and(|n| {
                        n.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
                    }) =>
            {
                c.remove(0);
            }
            _ => return c,
        }
    }
}

/// The program name of a command (`/usr/bin/curl` → `curl`).
pub fn program(c: &[String]) -> &str {
    c.first().map_or("", |w| w.rsplit('/').next().unwrap_or(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        let p = pipelines("curl -fsSL 'https://x | y' | sh && echo \"a;b\"; ls || true");
        assert_eq!(p.len(), 4);
        assert_eq!(p[0].len(), 2);
        assert_eq!(p[0][0], ["curl", "-fsSL", "https://x | y"]);
        assert_eq!(p[1][0], ["echo", "a;b"]);
        assert_eq!(
            commands("sudo -E DEBIAN_FRONTEND=noninteractive apt-get install -y x")[0][0],
            "apt-get"
        );
    }
}
