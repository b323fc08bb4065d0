//! Command lines of Kubernetes components, read as their flag parser (Go's
//! pflag) reads them: `--name=value`, `--name value` for flags that take a
//! value, a bare boolean flag means `true`, and the last occurrence wins.

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

/// Splits a line into words as a shell would (quotes and backslashes), but
/// without expanding anything.
pub fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    current.push(c);
                }
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => {
                            if let Some(n) = chars.next() {
                                current.push(n);
                            }
                        }
                        c => current.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.next() {
                    current.push(n);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                current.push(c);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    words
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
