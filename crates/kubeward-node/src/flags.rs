//! Command lines of Kubernetes components, read as their flag parser (Go's
//! pflag) reads them: `--name=value`, `--name value` for flags that take a
//! value, a bare boolean flag means `true`, and the last occurrence wins; and
//! the shell-like word splitting shared by systemd units and kube-bench audits.

use std::collections::HashMap;

/// One word of a command line and where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    /// The file the word came from (a manifest, a unit, an environment file).
    pub file: String,
    pub line: Option<u32>,
}

/// A flag as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// With its leading `--`.
    pub name: String,
    /// `None` for a bare flag (`--profiling`).
    pub value: Option<String>,
    pub file: String,
    pub line: Option<u32>,
}

impl Flag {
    /// The value the component reads: a bare flag is `true`.
    pub fn effective(&self) -> &str {
        self.value.as_deref().unwrap_or("true")
    }
}

/// Flags known to be boolean: pflag never takes the next word as their value.
const BOOLEAN_FLAGS: &[&str] = &[
    "--anonymous-auth",
    "--auto-tls",
    "--client-cert-auth",
    "--enable-debugging-handlers",
    "--fail-swap-on",
    "--make-iptables-util-chains",
    "--peer-auto-tls",
    "--peer-client-cert-auth",
    "--profiling",
    "--protect-kernel-defaults",
    "--rotate-certificates",
    "--rotate-server-certificates",
    "--seccomp-default",
    "--service-account-extend-token-expiration",
    "--service-account-lookup",
    "--use-service-account-credentials",
    "--allow-privileged",
    "--logtostderr",
    "--alsologtostderr",
    "--insecure-skip-tls-verify",
    "--leader-elect",
];

/// A component's command line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommandLine {
    pub words: Vec<Word>,
    pub flags: Vec<Flag>,
}

impl CommandLine {
    pub fn parse(words: Vec<Word>) -> Self {
        let mut flags = Vec::new();
        let mut i = 1;
        while i < words.len() {
            let word = &words[i];
            i += 1;
            let text = word.text.as_str();
            if text == "--" {
                break;
            }
            let Some(stripped) = text.strip_prefix('-') else {
                continue;
            };
            // Go's flag package (etcd) also takes `-name`; pflag wants `--name`.
            let body = stripped.strip_prefix('-').unwrap_or(stripped);
            if body.is_empty() {
                continue;
            }
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (format!("--{n}"), Some(v.to_owned())),
                None => {
                    let name = format!("--{body}");
                    let takes_value = !BOOLEAN_FLAGS.contains(&name.as_str())
                        && words.get(i).is_some_and(|next| !next.text.starts_with('-'));
                    if takes_value {
                        i += 1;
                        (name, Some(words[i - 1].text.clone()))
                    } else {
                        (name, None)
                    }
                }
            };
            flags.push(Flag {
                name,
                value,
                file: word.file.clone(),
                line: word.line,
            });
        }
        Self { words, flags }
    }

    /// The last occurrence of a flag (`--name`).
    pub fn get(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().rev().find(|f| f.name == name)
    }

    /// The words joined by spaces, as `ps -ef` shows a command.
    pub fn text(&self) -> String {
        self.words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The program name (`kube-apiserver` for `/usr/local/bin/kube-apiserver`).
    pub fn program(&self) -> &str {
        self.words
            .first()
            .map_or("", |w| crate::root::base_name(&w.text))
    }
}

/// A piece of a shell-like line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lexeme {
    Word(String),
    Pipe,
    Semi,
}

/// Shell syntax a lexer in plain-words mode treats as text, and in shell
/// mode either handles (`|`, `;`) or refuses.
fn refused(c: char) -> Option<&'static str> {
    match c {
        '&' => Some("`&`"),
        '<' => Some("`<`"),
        '(' => Some("`(`"),
        ')' => Some("`)`"),
        '`' => Some("command substitution"),
        _ => None,
    }
}

/// Splits a line into words as a shell does: quotes, backslashes and, when
/// `vars` is given (shell mode), `$NAME`/`${NAME}` expansion outside single
/// quotes (unknown names expand to nothing), `|` and `;` as operators, and
/// an error for what is not supported (`&`, `<`, `(`, `||`, command
/// substitution). Without `vars`, everything but quoting is text.
pub fn lex(line: &str, vars: Option<&HashMap<String, String>>) -> Result<Vec<Lexeme>, String> {
    if vars.is_some() && (line.contains("$(") || line.contains('`')) {
        return Err("command substitution".into());
    }
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    let expand = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>, word: &mut String| {
        let Some(vars) = vars else {
            word.push('$');
            return;
        };
        let braced = chars.peek() == Some(&'{');
        if braced {
            chars.next();
        }
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_alphanumeric() || c == '_' {
                name.push(c);
                chars.next();
            } else {
                break;
            }
        }
        if braced && chars.peek() == Some(&'}') {
            chars.next();
        }
        if name.is_empty() {
            word.push('$');
        } else if let Some(v) = vars.get(&name) {
            word.push_str(v);
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    word.push(c);
                }
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => {
                            if let Some(n) = chars.next() {
                                if !matches!(n, '"' | '\\' | '$' | '`') {
                                    word.push('\\');
                                }
                                word.push(n);
                            }
                        }
                        '$' => expand(&mut chars, &mut word),
                        c => word.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.next() {
                    word.push(n);
                }
            }
            '$' => {
                in_word = true;
                expand(&mut chars, &mut word);
            }
            '|' | ';' if vars.is_some() => {
                if in_word {
                    out.push(Lexeme::Word(std::mem::take(&mut word)));
                    in_word = false;
                }
                if c == '|' && chars.peek() == Some(&'|') {
                    return Err("`||`".into());
                }
                out.push(if c == '|' { Lexeme::Pipe } else { Lexeme::Semi });
            }
            c if vars.is_some() && refused(c).is_some() => {
                return Err(refused(c).unwrap_or_default().into());
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(Lexeme::Word(std::mem::take(&mut word)));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        out.push(Lexeme::Word(word));
    }
    Ok(out)
}

/// Splits a line into words as a shell would (quotes and backslashes), but
/// without expanding anything.
pub fn split_words(line: &str) -> Vec<String> {
    lex(line, None)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|l| match l {
            Lexeme::Word(w) => Some(w),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> CommandLine {
        CommandLine::parse(
            split_words(text)
                .into_iter()
                .map(|text| Word {
                    text,
                    file: "f".into(),
                    line: None,
                })
                .collect(),
        )
    }

    #[test]
    fn pflag_forms() {
        let c = line(
            "kube-apiserver --a=1 --b 2 --profiling --anonymous-auth false -data-dir /x --a=3 --c",
        );
        assert_eq!(c.get("--a").unwrap().effective(), "3");
        assert_eq!(c.get("--b").unwrap().effective(), "2");
        assert_eq!(c.get("--profiling").unwrap().effective(), "true");
        assert_eq!(c.get("--anonymous-auth").unwrap().effective(), "true");
        assert_eq!(c.get("--data-dir").unwrap().effective(), "/x");
        assert_eq!(c.get("--c").unwrap().value, None);
        assert_eq!(c.program(), "kube-apiserver");
    }

    #[test]
    fn words() {
        assert_eq!(
            split_words(r#"a "b c" 'd e' f\ g"#),
            vec!["a", "b c", "d e", "f g"]
        );
    }
}
