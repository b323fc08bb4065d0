//! The Dockerfile grammar as BuildKit reads it: parser directives at the top
//! (`# escape=`, `# syntax=`), logical lines joined at the escape character
//! (comment and blank lines inside a continuation dropped), heredocs
//! (`<<EOF`, `<<-EOF`, quoted delimiters, several per instruction), flags
//! (`--from=`, `--mount=` …), JSON and shell forms, and build stages.
//!
//! Parsing never fails: problems (an unterminated heredoc, a malformed JSON
//! form) are reported with their line beside a best-effort result.

use std::collections::{BTreeMap, HashMap};

use kubeward_core::display::one_line;

/// A parsed Dockerfile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dockerfile {
    /// Parser directives, keys in lower case.
    pub directives: BTreeMap<String, String>,
    pub escape: char,
    pub instructions: Vec<Instruction>,
    pub stages: Vec<Stage>,
    /// `(line, message)` for what could not be read.
    pub problems: Vec<(u32, String)>,
}

/// The arguments of an instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Form {
    /// `RUN apt-get update`: one string for the shell.
    Shell(String),
    /// `CMD ["nginx", "-g", "daemon off;"]`.
    Json(Vec<String>),
}

/// One instruction, continuation lines joined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// 1-based line of the keyword.
    pub line: u32,
    /// 1-based last line (of the instruction or its last heredoc).
    pub end_line: u32,
    /// Upper-case keyword (`RUN`).
    pub keyword: String,
    /// `--name[=value]` flags before the arguments, in order.
    pub flags: Vec<(String, Option<String>)>,
    pub form: Form,
    pub heredocs: Vec<Heredoc>,
    /// Index into [`Dockerfile::stages`]; `None` before the first `FROM`.
    pub stage: Option<usize>,
    /// The comment lines directly above (without the `#`).
    pub comments: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    pub delimiter: String,
    pub body: String,
}

/// A build stage, started by `FROM`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    /// Index into [`Dockerfile::instructions`] of its `FROM`.
    pub from: usize,
    /// The base image as written.
    pub base: String,
    /// The base with build arguments substituted.
    pub base_expanded: String,
    /// `AS name`, lower-cased as BuildKit compares them.
    pub name: Option<String>,
    pub platform: Option<String>,
    /// The earlier stage this one is built `FROM` (named by its expanded
    /// base), resolved once at parse time so that no rule searches the
    /// stages for it: a file of many stages stays linear.
    pub parent: Option<usize>,
}

impl Dockerfile {
    /// The indexes into [`Dockerfile::instructions`] of stage `stage`'s
    /// instructions, its `FROM` first.
    pub fn stage_span(&self, stage: usize) -> std::ops::Range<usize> {
        let start = self.stages[stage].from;
        let end = self
            .stages
            .get(stage + 1)
            .map_or(self.instructions.len(), |next| next.from);
        start..end
    }
}

impl Instruction {
    /// The arguments as one string (a JSON form joined with spaces), heredoc
    /// bodies appended.
    pub fn text(&self) -> String {
        let mut s = match &self.form {
            Form::Shell(s) => s.clone(),
            Form::Json(v) => v.join(" "),
        };
        for h in &self.heredocs {
            s.push('\n');
            s.push_str(&h.body);
        }
        s
    }

    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_deref().unwrap_or(""))
    }
}

fn is_directive_key(k: &str) -> bool {
    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Reads a heredoc marker at the start of `s` (after `<<`): `(strip_tabs,
/// delimiter, length consumed)`.
fn heredoc_marker(s: &str) -> Option<(bool, String, usize)> {
    let mut rest = s;
    let mut used = 0;
    let dash = rest.starts_with('-');
    if dash {
        rest = &rest[1..];
        used += 1;
    }
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'');
    if let Some(q) = quote {
        rest = &rest[1..];
        used += 1;
        let end = rest.find(q)?;
        let word = &rest[..end];
        if word.is_empty() {
            return None;
        }
        return Some((dash, word.to_owned(), used + end + 1));
    }
    let first = rest.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '_') {
        return None;
    }
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    Some((dash, rest[..len].to_owned(), used + len))
}

/// Heredoc markers in an instruction's arguments, in order.
fn heredoc_markers(args: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(pos) = args[at..].find("<<") {
        let start = at + pos + 2;
        // `<<<` is a here-string, not a heredoc.
        if args[start..].starts_with('<') {
            at = start + 1;
            continue;
        }
        match heredoc_marker(&args[start..]) {
            Some((dash, word, used)) => {
                out.push((dash, word));
                at = start + used;
            }
            None => at = start,
        }
    }
    out
}

/// Splits leading `--flag[=value]` words off the arguments.
fn split_flags(args: &str) -> (Vec<(String, Option<String>)>, &str) {
    let mut flags = Vec::new();
    let mut rest = args.trim_start();
    while let Some(after) = rest.strip_prefix("--") {
        let end = after.find(char::is_whitespace).unwrap_or(after.len());
        let word = &after[..end];
        if word.is_empty() {
            break;
        }
        match word.split_once('=') {
            Some((n, v)) => flags.push((n.to_ascii_lowercase(), Some(v.to_owned()))),
            None => flags.push((word.to_ascii_lowercase(), None)),
        }
        rest = after[end..].trim_start();
    }
    (flags, rest)
}

const FLAGGED: [&str; 5] = ["FROM", "RUN", "COPY", "ADD", "HEALTHCHECK"];
/// Every instruction BuildKit knows; any other word starting a line (a
/// typo, or a line whose continuation was lost) is an error there, and so it
/// is here rather than a silently ignored line.
const INSTRUCTIONS: [&str; 18] = [
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];
const JSON_FORMS: [&str; 8] = [
    "RUN",
    "CMD",
    "ENTRYPOINT",
    "SHELL",
    "COPY",
    "ADD",
    "VOLUME",
    "HEALTHCHECK",
];

pub fn parse(text: &str) -> Dockerfile {
    // Editors on Windows save a byte-order mark; BuildKit skips it, and left
    // in place it would hide the first instruction (usually FROM).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut df = Dockerfile {
        escape: '\\',
        ..Dockerfile::default()
    };
    let mut i = 0;
    // Parser directives: `# key=value` lines before anything else.
    while i < lines.len() {
        let Some(rest) = lines[i].trim().strip_prefix('#') else {
            break;
        };
        let Some((key, value)) = rest.split_once('=') else {
            break;
        };
        let key = key.trim().to_ascii_lowercase();
        if !is_directive_key(&key) || df.directives.contains_key(&key) {
            break;
        }
        df.directives.insert(key, value.trim().to_owned());
        i += 1;
    }
    if let Some(e) = df.directives.get("escape") {
        match e.as_str() {
            "`" => df.escape = '`',
            "\\" => {}
            other => df
                .problems
                .push((1, format!("escape must be ` or \\, not `{other}`"))),
        }
    }
    let escape = df.escape;
    let mut comments: Vec<String> = Vec::new();
    let mut stage: Option<usize> = None;
    while i < lines.len() {
        let trimmed = lines[i].trim();
        if trimmed.is_empty() {
            comments.clear();
            i += 1;
            continue;
        }
        if let Some(c) = trimmed.strip_prefix('#') {
            comments.push(c.trim().to_owned());
            i += 1;
            continue;
        }
        let start = i;
        let mut logical = String::new();
        loop {
            let l = lines[i].trim_end();
            i += 1;
            match l.strip_suffix(escape) {
                Some(head) => {
                    logical.push_str(head);
                    // Comment and blank lines inside a continuation are dropped.
                    while i < lines.len()
                        && (lines[i].trim().is_empty() || lines[i].trim_start().starts_with('#'))
                    {
                        i += 1;
                    }
                    if i >= lines.len() {
                        break;
                    }
                }
                None => {
                    logical.push_str(l);
                    break;
                }
            }
        }
        let logical = logical.trim();
        let (keyword, args) = logical
            .split_once(char::is_whitespace)
            .unwrap_or((logical, ""));
        let keyword = keyword.to_ascii_uppercase();
        let line = u32::try_from(start + 1).unwrap_or(u32::MAX);
        if !INSTRUCTIONS.contains(&keyword.as_str()) {
            df.problems.push((
                line,
                format!("unknown instruction `{}`", one_line(&keyword, 40)),
            ));
            comments.clear();
            continue;
        }
        if stage.is_none() && keyword != "ARG" && keyword != "FROM" {
            df.problems.push((
                line,
                format!("{keyword} before the first FROM (only ARG may come before it)"),
            ));
        }
        let (flags, args) = if FLAGGED.contains(&keyword.as_str()) {
            split_flags(args)
        } else {
            (Vec::new(), args.trim())
        };
        let mut heredocs = Vec::new();
        if matches!(keyword.as_str(), "RUN" | "COPY" | "ADD") {
            for (strip_tabs, delimiter) in heredoc_markers(args) {
                let mut body = String::new();
                let mut closed = false;
                while i < lines.len() {
                    let l = lines[i];
                    i += 1;
                    let candidate = if strip_tabs {
                        l.trim_start_matches('\t')
                    } else {
                        l
                    };
                    if candidate == delimiter {
                        closed = true;
                        break;
                    }
                    body.push_str(candidate);
                    body.push('\n');
                }
                if !closed {
                    df.problems.push((
                        u32::try_from(start + 1).unwrap_or(u32::MAX),
                        format!("heredoc <<{delimiter} is not terminated"),
                    ));
                }
                heredocs.push(Heredoc { delimiter, body });
            }
        }
        let form = if JSON_FORMS.contains(&keyword.as_str()) && args.starts_with('[') {
            match serde_json::from_str::<Vec<String>>(args) {
                Ok(v) => Form::Json(v),
                // BuildKit runs a malformed JSON form through the shell.
                Err(_) => Form::Shell(args.to_owned()),
            }
        } else {
            Form::Shell(args.to_owned())
        };
        let index = df.instructions.len();
        if keyword == "FROM" {
            stage = Some(df.stages.len());
            let words: Vec<&str> = args.split_whitespace().collect();
            let base = words.first().copied().unwrap_or("").to_owned();
            let name = match words.as_slice() {
                [_, as_, name, ..] if as_.eq_ignore_ascii_case("as") => {
                    Some(name.to_ascii_lowercase())
                }
                _ => None,
            };
            df.stages.push(Stage {
                from: index,
                base_expanded: base.clone(),
                base,
                name,
                platform: flags
                    .iter()
                    .find(|(n, _)| n == "platform")
                    .and_then(|(_, v)| v.clone()),
                parent: None,
            });
        }
        df.instructions.push(Instruction {
            line: u32::try_from(start + 1).unwrap_or(u32::MAX),
            end_line: u32::try_from(i).unwrap_or(u32::MAX),
            keyword,
            flags,
            form,
            heredocs,
            stage,
            comments: std::mem::take(&mut comments),
        });
    }
    if df.instructions.is_empty() && df.problems.is_empty() {
        df.problems
            .push((1, "the Dockerfile has no instructions".to_owned()));
    }
    expand_bases(&mut df);
    df
}

/// Substitutes build arguments (`$NAME`, `${NAME}`, `${NAME:-default}`,
/// `${NAME-default}`, `${NAME:+alt}`) from `vars`; unknown names become empty.
pub fn expand(s: &str, vars: &BTreeMap<String, String>, escape: char) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == escape && chars.get(i + 1) == Some(&'$') {
            out.push('$');
            i += 2;
            continue;
        }
        if c != '$' {
            out.push(c);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'{') {
            let Some(end) = chars[i + 2..].iter().position(|&c| c == '}') else {
                out.extend(&chars[i..]);
                break;
            };
            let inner: String = chars[i + 2..i + 2 + end].iter().collect();
            let (name, op, word) = match inner.find([':', '-', '+']) {
                Some(p) => {
                    let rest = &inner[p..];
                    let (op, word) = if let Some(w) = rest.strip_prefix(":-") {
                        (":-", w)
                    } else if let Some(w) = rest.strip_prefix(":+") {
                        (":+", w)
                    } else if let Some(w) = rest.strip_prefix('-') {
                        ("-", w)
                    } else if let Some(w) = rest.strip_prefix('+') {
                        ("+", w)
                    } else {
                        ("", "")
                    };
                    (&inner[..p], op, word)
                }
                None => (inner.as_str(), "", ""),
            };
            let value = vars.get(name);
            let text = match op {
                ":-" => value
                    .filter(|v| !v.is_empty())
                    .cloned()
                    .unwrap_or_else(|| word.to_owned()),
                "-" => value.cloned().unwrap_or_else(|| word.to_owned()),
                ":+" => value
                    .filter(|v| !v.is_empty())
                    .map(|_| word.to_owned())
                    .unwrap_or_default(),
                "+" => value.map(|_| word.to_owned()).unwrap_or_default(),
                _ => value.cloned().unwrap_or_default(),
            };
            out.push_str(&text);
            i += 3 + end;
            continue;
        }
        let len = chars[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
            .count();
        if len == 0 {
            out.push('$');
            i += 1;
            continue;
        }
        let name: String = chars[i + 1..i + 1 + len].iter().collect();
        out.push_str(vars.get(&name).map_or("", String::as_str));
        i += 1 + len;
    }
    out
}

/// The `ARG NAME[=default]` pairs of an instruction.
pub fn arg_defaults(text: &str) -> Vec<(String, Option<String>)> {
    text.split_whitespace()
        .map(|word| match word.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.trim_matches(['"', '\'']).to_owned())),
            None => (word.to_owned(), None),
        })
        .collect()
}

/// Fills in each stage's base with the global build arguments' defaults,
/// and links each stage to the earlier stage its base names (the latest of
/// that name, as BuildKit resolves it), in one pass.
fn expand_bases(df: &mut Dockerfile) {
    let mut globals = BTreeMap::new();
    for ins in &df.instructions {
        if ins.stage.is_none()
            && ins.keyword == "ARG"
            && let Form::Shell(text) = &ins.form
        {
            for (name, default) in arg_defaults(text) {
                globals.insert(name, default.unwrap_or_default());
            }
        }
    }
    let mut named: HashMap<String, usize> = HashMap::new();
    for (index, stage) in df.stages.iter_mut().enumerate() {
        stage.base_expanded = expand(&stage.base, &globals, df.escape);
        stage.parent = named
            .get(&stage.base_expanded.trim().to_ascii_lowercase())
            .copied();
        if let Some(name) = &stage.name {
            named.insert(name.clone(), index);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuations_comments_and_directives() {
        let df = parse(
            "# syntax=docker/dockerfile:1\n# escape=`\nFROM alpine:3.19 AS build\nRUN apk add `\n    # a comment inside\n    curl\n\nCMD [\"sh\", \"-c\", \"echo hi\"]\n",
        );
        assert_eq!(df.escape, '`');
        assert_eq!(df.directives["syntax"], "docker/dockerfile:1");
        let run = &df.instructions[1];
        assert_eq!((run.line, run.end_line), (4, 6));
        assert_eq!(run.form, Form::Shell("apk add     curl".into()));
        assert_eq!(
            df.instructions[2].form,
            Form::Json(vec!["sh".into(), "-c".into(), "echo hi".into()])
        );
        assert_eq!(df.stages[0].name.as_deref(), Some("build"));
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let df = parse("\u{feff}# escape=`\nFROM ubuntu:latest\nUSER 1000\n");
        assert_eq!(df.escape, '`');
        assert_eq!(df.instructions[0].keyword, "FROM");
        assert_eq!(df.instructions[0].line, 2);
        assert_eq!(df.stages.len(), 1);
    }

    #[test]
    fn unknown_or_misplaced_instructions_and_empty_files_are_problems() {
        let df = parse("FROM alpine:3.19\nUSR root\nUSER 1000\n");
        assert_eq!(df.problems, [(2, "unknown instruction `USR`".to_owned())]);
        assert_eq!(
            df.instructions.len(),
            2,
            "the unknown line is not an instruction"
        );
        let df = parse("ARG V=1\nRUN echo hi\nFROM alpine:$V\n");
        assert_eq!(
            df.problems,
            [(
                2,
                "RUN before the first FROM (only ARG may come before it)".to_owned()
            )]
        );
        // With ` as the escape, a backslash does not continue the line, so
        // the next one starts with `&&`: an error, not a silently lost chmod.
        let df = parse("# escape=`\nFROM alpine:3.19\nRUN apk add curl \\\n  && chmod 777 /x\n");
        assert_eq!(df.problems, [(4, "unknown instruction `&&`".to_owned())]);
        for empty in ["", "\n\n", "# just a comment\n"] {
            assert_eq!(
                parse(empty).problems,
                [(1, "the Dockerfile has no instructions".to_owned())]
            );
        }
    }

    #[test]
    fn heredocs() {
        let df = parse(
            "FROM debian\nRUN <<EOF bash\nset -e\napt-get update\nEOF\nCOPY <<-\"A\" /a <<B /b\n\tone\n\tA\ntwo\nB\nRUN echo $((1<<2)) <<< word\n",
        );
        let run = &df.instructions[1];
        assert_eq!(run.heredocs[0].body, "set -e\napt-get update\n");
        let copy = &df.instructions[2];
        assert_eq!(copy.heredocs.len(), 2);
        assert_eq!(copy.heredocs[0].body, "one\n");
        assert_eq!(copy.heredocs[1].body, "two\n");
        assert_eq!(df.instructions[3].heredocs.len(), 0);
        assert!(df.problems.is_empty());
        let open = parse("FROM debian\nRUN <<EOF\nnever closed\n");
        assert_eq!(open.problems.len(), 1);
    }

    #[test]
    fn stages_link_to_the_latest_earlier_stage_of_their_base_name() {
        let df = parse(
            "ARG B=Build\nFROM alpine:3.19 AS build\nFROM build AS build\nFROM ${B}\nFROM later\nFROM alpine AS later\n",
        );
        let parents: Vec<Option<usize>> = df.stages.iter().map(|s| s.parent).collect();
        // A stage never names itself; a name used before its stage is an image.
        assert_eq!(parents, [None, Some(0), Some(1), None, None]);
        assert_eq!(df.stage_span(1), 2..3);
        assert_eq!(df.stage_span(4), 5..6);
    }

    /// Stage resolution was a search of the earlier stages for each stage:
    /// 100,000 stages ran past a minute (release build) and the 16 MiB
    /// input cap allows about 1.4 million. Linear, 100,000 chained stages
    /// take about 10 s in a debug build; the bound is generous, and only a
    /// quadratic misses it (over an hour in a debug build).
    #[test]
    fn many_chained_stages_lint_in_linear_time() {
        const STAGES: usize = 100_000;
        let mut text = String::from("FROM alpine:3.19 AS s0\nUSER 1000\n");
        for i in 1..STAGES {
            text.push_str(&format!("FROM s{} AS s{i}\nRUN echo {i}\n", i - 1));
        }
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let df = parse(&text);
            let parents_chain = df
                .stages
                .iter()
                .enumerate()
                .skip(1)
                .all(|(i, s)| s.parent == Some(i - 1));
            let result = crate::lint("Dockerfile", &text, true, crate::rules::ALL);
            let _ = done.send((df.stages.len(), parents_chain, result));
        });
        let (stages, parents_chain, result) = finished
            .recv_timeout(std::time::Duration::from_secs(180))
            .expect("linting 100,000 chained stages took over three minutes");
        assert_eq!(stages, STAGES);
        assert!(parents_chain);
        // The final stage inherits the first stage's USER through the chain,
        // and no stage but the first names an image.
        let ids: Vec<&str> = result.findings.iter().map(|f| f.rule.id).collect();
        assert!(!ids.contains(&"KW701"), "{ids:?}");
        assert!(!ids.contains(&"KW702"), "{ids:?}");
    }

    #[test]
    fn flags_and_args() {
        let df = parse(
            "ARG BASE=python\nARG TAG=3.12\nFROM --platform=$BUILDPLATFORM ${BASE}:${TAG:-3} AS x\nCOPY --from=x --chown=1:1 a b\n",
        );
        assert_eq!(df.stages[0].base_expanded, "python:3.12");
        assert_eq!(df.stages[0].platform.as_deref(), Some("$BUILDPLATFORM"));
        assert_eq!(df.instructions[3].flag("from"), Some("x"));
        let vars = BTreeMap::from([("A".to_owned(), "1".to_owned())]);
        assert_eq!(
            expand("${A:+set}-${B:-def}-$A\\$A", &vars, '\\'),
            "set-def-1$A"
        );
    }
}
