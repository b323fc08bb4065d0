//! `sshd_config` as sshd reads it: `Include` expanded in place (globs,
//! relative to `/etc/ssh`, in name order), keywords case-insensitive, the
//! first value obtained winning, and `Match` blocks kept apart as the
//! conditional overrides they are.

use crate::root::{Root, Unreadable, base_name, glob_match, join};

/// One `Keyword value` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    /// Lower-cased keyword.
    pub keyword: String,
    pub value: String,
    pub file: String,
    pub line: u32,
    /// The `Match` criteria the line is under, `None` for global lines.
    pub matched: Option<String>,
}

/// The settings of an sshd configuration, in the order sshd reads them.
#[derive(Clone, Debug, Default)]
pub struct SshdConfig {
    pub settings: Vec<Setting>,
    /// Whether the main file exists.
    pub present: bool,
    /// Files (or include directories) that exist but could not be read:
    /// with any, the effective values are unknown.
    pub unreadable: Vec<Unreadable>,
}

/// Deepest `Include` nesting followed.
const MAX_INCLUDE_DEPTH: usize = 16;

impl SshdConfig {
    pub fn read(root: &Root, file: &str) -> Self {
        let mut config = SshdConfig {
            present: root.exists(file),
            ..SshdConfig::default()
        };
        let mut matched = None;
        config.read_file(root, file, 0, &mut matched);
        config
    }

    fn read_file(&mut self, root: &Root, file: &str, depth: usize, matched: &mut Option<String>) {
        if depth > MAX_INCLUDE_DEPTH {
            return;
        }
        let text = match root.read_existing(file) {
            Ok(Some(text)) => text,
            Ok(None) => return,
            Err(e) => return self.unreadable.push(e),
        };
        for (line, n) in text.lines().zip(1u32..) {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (keyword, value) = match line.split_once(|c: char| c.is_whitespace() || c == '=') {
                Some((k, v)) => (k, v.trim().trim_start_matches('=').trim()),
                None => (line, ""),
            };
            let keyword = keyword.to_ascii_lowercase();
            if keyword == "match" {
                *matched = if value.eq_ignore_ascii_case("all") {
                    None
                } else {
                    Some(value.to_owned())
                };
                continue;
            }
            if keyword == "include" {
                for pattern in value.split_whitespace() {
                    let pattern = if pattern.starts_with('/') {
                        pattern.to_owned()
                    } else {
                        join("/etc/ssh", pattern)
                    };
                    let files = expand(root, &pattern).unwrap_or_else(|e| {
                        self.unreadable.push(e);
                        Vec::new()
                    });
                    for included in files {
                        // A Match block inside an included file ends with it.
                        let mut inner = matched.clone();
                        self.read_file(root, &included, depth + 1, &mut inner);
                    }
                }
                continue;
            }
            self.settings.push(Setting {
                keyword,
                value: value.to_owned(),
                file: file.to_owned(),
                line: n,
                matched: matched.clone(),
            });
        }
    }

    /// The global value of a keyword: the first one obtained.
    pub fn global(&self, keyword: &str) -> Option<&Setting> {
        self.settings
            .iter()
            .find(|s| s.matched.is_none() && s.keyword == keyword)
    }

    /// The `Match` blocks' values of a keyword.
    pub fn conditional(&self, keyword: &str) -> impl Iterator<Item = &Setting> {
        self.settings
            .iter()
            .filter(move |s| s.matched.is_some() && s.keyword == keyword)
    }
}

/// Files matching a glob in its last part, in name order.
fn expand(root: &Root, pattern: &str) -> Result<Vec<String>, Unreadable> {
    let name = base_name(pattern);
    if !name.contains(['*', '?']) {
        return Ok(vec![pattern.to_owned()]);
    }
    let dir = &pattern[..pattern.len() - name.len()];
    let dir = dir.trim_end_matches('/');
    Ok(root
        .list_existing(dir)?
        .into_iter()
        .filter(|n| glob_match(name, n))
        .map(|n| join(dir, &n))
        .collect())
}
