//! kube-bench's `audit` commands, evaluated offline and without a shell.
//!
//! A controls file's `audit` is a shell snippet. kubeward never hands it to a
//! shell (unless the caller opts in): it reads the snippet as a sequence of
//! pipelines of a few well-known, read-only commands (`ps`, `grep`, `stat`,
//! `find`, `xargs`, `cat`, `echo`, `printf`, `sed s///`, `awk '{print $N}'`,
//! `tail`, `head`, `uniq`, `test`), with `sh -c '…'`, `if test …; then …;
//! [else …;] fi` and one-line `for` loops, and evaluates each command against
//! the node's facts under the root: `ps` lists the components' command lines
//! (running processes, else static pod manifests and systemd units), `stat`
//! and `find` read the node tree. The three multi-line scripts of the CIS
//! files (etcd's data directory, the kubelet's client CA, the encryption
//! providers) are recognised by shape. Anything else is reported as
//! unsupported, never run.

use std::collections::HashMap;

use regex::Regex;

use crate::facts::{Component, NodeFacts};
use crate::flags::{Lexeme as Token, lex};
use crate::root::{base_name, glob_match};

/// What a snippet printed (standard output and error, as kube-bench
/// captures both) and whether it exited with status 0.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Run {
    pub output: String,
    pub ok: bool,
    /// Files the evaluation read, for evidence.
    pub files: Vec<String>,
}

/// Why a snippet cannot be evaluated offline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsupported(pub String);

type Result<T> = std::result::Result<T, Unsupported>;

fn unsupported<T>(why: impl Into<String>) -> Result<T> {
    Err(Unsupported(why.into()))
}

/// Evaluates an audit snippet against a node.
pub fn evaluate(script: &str, facts: &NodeFacts) -> Result<Run> {
    let mut shell = Shell {
        facts,
        files: Vec::new(),
        depth: 0,
    };
    let mut run = shell.script(script, &HashMap::new())?;
    run.files = shell.files;
    Ok(run)
}

struct Shell<'a> {
    facts: &'a NodeFacts,
    files: Vec<String>,
    depth: usize,
}

/// Output of one command: standard output, standard error, success.
struct Out {
    stdout: String,
    stderr: String,
    ok: bool,
}

impl Out {
    fn ok(stdout: String) -> Self {
        Self {
            stdout,
            stderr: String::new(),
            ok: true,
        }
    }
}

/// Splits a line into words, `|` and `;`, expanding variables from `vars`.
fn tokenize(line: &str, vars: &HashMap<String, String>) -> Result<Vec<Token>> {
    lex(line, Some(vars)).map_err(Unsupported)
}

/// The deepest nesting (`sh -c`, `if`, `for`, `xargs`) evaluated.
const MAX_DEPTH: usize = 32;

impl Shell<'_> {
    fn script(&mut self, script: &str, vars: &HashMap<String, String>) -> Result<Run> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return unsupported("nesting too deep");
        }
        let result = self.script_inner(script, vars);
        self.depth -= 1;
        result
    }

    fn script_inner(&mut self, script: &str, vars: &HashMap<String, String>) -> Result<Run> {
        let script = script.trim();
        if let Some(run) = self.known_script(script)? {
            return Ok(run);
        }
        let mut run = Run {
            output: String::new(),
            ok: true,
            files: Vec::new(),
        };
        for line in logical_lines(script) {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let r = self.line(line, vars)?;
            run.output.push_str(&r.output);
            run.ok = r.ok;
        }
        Ok(run)
    }

    /// One line: a `for` loop, an `if test`, or `;`-separated pipelines.
    fn line(&mut self, line: &str, vars: &HashMap<String, String>) -> Result<Run> {
        self.depth += 1;
        let result = if self.depth > MAX_DEPTH {
            unsupported("nesting too deep")
        } else {
            self.line_inner(line, vars)
        };
        self.depth -= 1;
        result
    }

    fn line_inner(&mut self, line: &str, vars: &HashMap<String, String>) -> Result<Run> {
        static FOR: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
            Regex::new(r"^for (\w+) in ([^;]*); do (.*?);? done;?$").expect("valid regex")
        });
        static IF: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
            Regex::new(r"^if (.+?); then (.+?);(?: else (.+?);)? fi;?$").expect("valid regex")
        });
        if let Some(c) = FOR.captures(line) {
            let mut run = Run {
                ok: true,
                ..Run::default()
            };
            let words: Vec<String> = tokenize(&c[2], vars)?
                .into_iter()
                .filter_map(|t| match t {
                    Token::Word(w) => Some(w),
                    _ => None,
                })
                .collect();
            for w in words {
                let mut inner = vars.clone();
                inner.insert(c[1].to_owned(), w);
                let r = self.line(&c[3], &inner)?;
                run.output.push_str(&r.output);
                run.ok = r.ok;
            }
            return Ok(run);
        }
        if let Some(c) = IF.captures(line) {
            let cond = self.line(&c[1], vars)?;
            let branch = if cond.ok {
                Some(&c[2])
            } else {
                c.get(3).map(|m| m.as_str())
            };
            return match branch {
                Some(b) => self.line(b, vars),
                None => Ok(Run {
                    ok: true,
                    ..Run::default()
                }),
            };
        }
        let tokens = tokenize(line, vars)?;
        let mut run = Run {
            ok: true,
            ..Run::default()
        };
        for list in tokens.split(|t| *t == Token::Semi) {
            if list.is_empty() {
                continue;
            }
            let r = self.pipeline(list)?;
            run.output.push_str(&r.output);
            run.ok = r.ok;
        }
        Ok(run)
    }

    fn pipeline(&mut self, tokens: &[Token]) -> Result<Run> {
        let mut stdin = String::new();
        let mut stderr = String::new();
        let mut ok = true;
        for part in tokens.split(|t| *t == Token::Pipe) {
            let mut words: Vec<String> = part
                .iter()
                .filter_map(|t| match t {
                    Token::Word(w) => Some(w.clone()),
                    _ => None,
                })
                .collect();
            // `2> /dev/null` and `2>/dev/null`: drop the command's errors.
            let mut quiet = false;
            let mut i = 0;
            while i < words.len() {
                if words[i] == "2>" {
                    quiet = true;
                    words.drain(i..(i + 2).min(words.len()));
                } else if words[i].starts_with("2>") {
                    quiet = true;
                    words.remove(i);
                } else if words[i].starts_with('>') {
                    return unsupported("output redirection");
                } else {
                    i += 1;
                }
            }
            if words.is_empty() {
                return unsupported("empty command");
            }
            let out = self.command(&words, &stdin)?;
            if !quiet {
                stderr.push_str(&out.stderr);
            }
            stdin = out.stdout;
            ok = out.ok;
        }
        Ok(Run {
            output: stderr + &stdin,
            ok,
            files: Vec::new(),
        })
    }

    fn command(&mut self, words: &[String], stdin: &str) -> Result<Out> {
        let name = base_name(&words[0]);
        let args = &words[1..];
        match name {
            "sh" | "bash" | "dash" => {
                if args.first().map(String::as_str) != Some("-c") {
                    return unsupported("a shell without -c");
                }
                let Some(script) = args.get(1) else {
                    return unsupported("sh -c without a script");
                };
                let run = self.script(script, &HashMap::new())?;
                Ok(Out {
                    stdout: run.output,
                    stderr: String::new(),
                    ok: run.ok,
                })
            }
            "ps" => self.ps(args),
            "grep" => grep(args, stdin),
            "stat" => Ok(self.stat(args)),
            "find" => self.find(args),
            "xargs" => {
                self.depth += 1;
                let result = if self.depth > MAX_DEPTH {
                    unsupported("nesting too deep")
                } else {
                    self.xargs(args, stdin)
                };
                self.depth -= 1;
                result
            }
            "cat" => Ok(self.cat(args)),
            "echo" => Ok(echo(args)),
            "printf" => Ok(printf(args)),
            "sed" => sed(args, stdin),
            "awk" => awk(args, stdin),
            "tail" | "head" => tail_head(name, args, stdin),
            "uniq" => {
                let mut lines: Vec<&str> = stdin.lines().collect();
                lines.dedup();
                Ok(Out::ok(join_lines(&lines)))
            }
            "test" | "[" => Ok(Out {
                ok: self.test(args),
                stdout: String::new(),
                stderr: String::new(),
            }),
            "true" => Ok(Out::ok(String::new())),
            "false" => Ok(Out {
                ok: false,
                stdout: String::new(),
                stderr: String::new(),
            }),
            other => unsupported(format!("`{other}` is not evaluated offline")),
        }
    }

    /// The processes `ps` shows: running ones from `/proc`, and for each
    /// component without a process, the command line its manifest or unit
    /// would start.
    fn process_lines(&mut self) -> Result<Vec<(String, String)>> {
        let mut lines: Vec<(String, String)> = self
            .facts
            .processes()
            .iter()
            .map(|p| {
                (
                    p.command.program().to_owned(),
                    format!("root {} 1 0 00:00 ? 00:00:00 {}", p.pid, p.command.text()),
                )
            })
            .collect();
        for c in Component::ALL {
            if self.facts.process(c).is_none()
                && let Some(unreadable) = self.facts.command_unreadable(c)
            {
                // Its command line is unknown: so is what `ps` would print.
                return unsupported(unreadable.to_string());
            }
            if self.facts.process(c).is_none()
                && let Some(cmd) = self.facts.command(c)
            {
                if let Some(w) = cmd.words.first() {
                    self.files.push(w.file.clone());
                }
                lines.push((
                    cmd.program().to_owned(),
                    format!("root 0 1 0 00:00 ? 00:00:00 {}", cmd.text()),
                ));
            }
        }
        Ok(lines)
    }

    fn ps(&mut self, args: &[String]) -> Result<Out> {
        let joined = args.join(" ");
        let lines = self.process_lines()?;
        if joined == "-ef" || joined == "-e -f" || joined == "aux" {
            let text: Vec<&str> = lines.iter().map(|(_, l)| l.as_str()).collect();
            return Ok(Out::ok(join_lines(&text)));
        }
        let name = match args {
            [f, name] if f == "-fC" || f == "-Cf" => name,
            [f, c, name] if f == "-f" && c == "-C" => name,
            _ => return unsupported(format!("ps {joined}")),
        };
        // `ps -C` matches the process name, which the kernel cuts to 15 bytes.
        let matches = |program: &str| {
            program == name || (name.len() == 15 && program.starts_with(name.as_str()))
        };
        let found: Vec<&str> = lines
            .iter()
            .filter(|(p, _)| matches(p))
            .map(|(_, l)| l.as_str())
            .collect();
        let mut text = String::from("UID PID PPID C STIME TTY TIME CMD\n");
        text.push_str(&join_lines(&found));
        Ok(Out {
            ok: !found.is_empty(),
            stdout: text,
            stderr: String::new(),
        })
    }

    fn stat(&mut self, args: &[String]) -> Out {
        let mut format = None;
        let mut files = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a == "-c" || a == "--format" {
                format = args.get(i + 1).cloned();
                i += 2;
                continue;
            }
            if let Some(f) = a.strip_prefix("--format=") {
                format = Some(f.to_owned());
            } else if let Some(f) = a.strip_prefix("-c").filter(|f| !f.is_empty()) {
                format = Some(f.to_owned());
            } else if !a.starts_with('-') || a == "-" {
                files.push(a.clone());
            }
            i += 1;
        }
        let format = format.unwrap_or_else(|| "%n".into());
        if files.is_empty() {
            return Out {
                stdout: String::new(),
                stderr: "stat: missing operand\n".into(),
                ok: false,
            };
        }
        let mut out = Out::ok(String::new());
        for file in files {
            self.files.push(file.clone());
            match self.facts.root.stat(&file) {
                Some(st) => {
                    let mut line = String::new();
                    let mut chars = format.chars();
                    while let Some(c) = chars.next() {
                        if c != '%' {
                            line.push(c);
                            continue;
                        }
                        match chars.next() {
                            Some('a') => line.push_str(&format!("{:o}", st.mode)),
                            Some('U') => line.push_str(&self.facts.root.user_name(st.uid)),
                            Some('G') => line.push_str(&self.facts.root.group_name(st.gid)),
                            Some('u') => line.push_str(&st.uid.to_string()),
                            Some('g') => line.push_str(&st.gid.to_string()),
                            Some('n') => line.push_str(&file),
                            Some('%') => line.push('%'),
                            Some(o) => {
                                line.push('%');
                                line.push(o);
                            }
                            None => line.push('%'),
                        }
                    }
                    out.stdout.push_str(&line);
                    out.stdout.push('\n');
                }
                None => {
                    out.stderr.push_str(&format!(
                        "stat: cannot statx '{file}': No such file or directory\n"
                    ));
                    out.ok = false;
                }
            }
        }
        out
    }

    fn find(&mut self, args: &[String]) -> Result<Out> {
        let split = args
            .iter()
            .position(|a| a.starts_with('-'))
            .unwrap_or(args.len());
        let (paths, preds) = args.split_at(split);
        let mut name = None;
        let mut kind = None;
        let mut min_depth = 0;
        let mut max_depth = usize::MAX;
        let mut i = 0;
        while i < preds.len() {
            let value = preds.get(i + 1).cloned().unwrap_or_default();
            match preds[i].as_str() {
                "-name" => name = Some(value),
                "-type" => kind = Some(value),
                "-mindepth" => min_depth = value.parse().unwrap_or(0),
                "-maxdepth" => max_depth = value.parse().unwrap_or(usize::MAX),
                other => return unsupported(format!("find {other}")),
            }
            i += 2;
        }
        let mut out = Out::ok(String::new());
        for path in paths {
            if !self.facts.root.exists(path) {
                out.stderr
                    .push_str(&format!("find: '{path}': No such file or directory\n"));
                out.ok = false;
                continue;
            }
            let base_depth = path.trim_end_matches('/').matches('/').count();
            for found in self.facts.root.walk(path) {
                let depth = found.matches('/').count().saturating_sub(base_depth);
                let depth = if found.trim_end_matches('/') == path.trim_end_matches('/') {
                    0
                } else {
                    depth
                };
                if depth < min_depth || depth > max_depth {
                    continue;
                }
                if name
                    .as_ref()
                    .is_some_and(|n| !glob_match(n, base_name(&found)))
                {
                    continue;
                }
                if let Some(k) = &kind {
                    let is_dir = self.facts.root.stat(&found).is_some_and(|s| s.is_dir);
                    if (k == "d") != is_dir {
                        continue;
                    }
                }
                // find prints the path as given, trailing slash included.
                let shown = if found == crate::root::normalize(path) {
                    path.clone()
                } else if path.ends_with('/') {
                    format!("{path}{}", &found[crate::root::normalize(path).len() + 1..])
                } else {
                    found
                };
                out.stdout.push_str(&shown);
                out.stdout.push('\n');
            }
        }
        Ok(out)
    }

    fn xargs(&mut self, args: &[String], stdin: &str) -> Result<Out> {
        let mut replace = None;
        let mut skip_empty = false;
        let mut i = 0;
        while i < args.len() && args[i].starts_with('-') {
            match args[i].as_str() {
                "-r" | "--no-run-if-empty" => skip_empty = true,
                "-I" => {
                    replace = args.get(i + 1).cloned();
                    i += 1;
                }
                "-L" | "-n" => i += 1,
                a if a.starts_with("-I") => replace = Some(a[2..].to_owned()),
                a if a.starts_with("-L") || a.starts_with("-n") => {}
                other => return unsupported(format!("xargs {other}")),
            }
            i += 1;
        }
        let command: Vec<String> = if i < args.len() {
            args[i..].to_vec()
        } else {
            vec!["echo".into()]
        };
        let mut out = Out::ok(String::new());
        let mut runs: Vec<Vec<String>> = Vec::new();
        match &replace {
            Some(token) => {
                for line in stdin.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    runs.push(
                        command
                            .iter()
                            .map(|w| w.replace(token.as_str(), line))
                            .collect(),
                    );
                }
            }
            None => {
                let inputs: Vec<String> = stdin.split_whitespace().map(str::to_owned).collect();
                if !(inputs.is_empty() && skip_empty) {
                    runs.push(command.iter().cloned().chain(inputs).collect());
                }
            }
        }
        for words in runs {
            let r = self.command(&words, "")?;
            out.stdout.push_str(&r.stdout);
            out.stderr.push_str(&r.stderr);
            out.ok &= r.ok;
        }
        Ok(out)
    }

    fn cat(&mut self, args: &[String]) -> Out {
        let mut out = Out::ok(String::new());
        for file in args.iter().filter(|a| !a.starts_with('-')) {
            self.files.push(file.clone());
            match self.facts.root.read(file) {
                Ok(text) => out.stdout.push_str(&text),
                Err(_) => {
                    out.stderr
                        .push_str(&format!("cat: {file}: No such file or directory\n"));
                    out.ok = false;
                }
            }
        }
        out
    }

    fn test(&mut self, args: &[String]) -> bool {
        let args: Vec<&str> = args
            .iter()
            .map(String::as_str)
            .filter(|a| *a != "]")
            .collect();
        match args.as_slice() {
            ["!", rest @ ..] => {
                !self.test(&rest.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
            }
            ["-e", f] => self.facts.root.exists(f),
            ["-f", f] => self.facts.root.stat(f).is_some_and(|s| !s.is_dir),
            ["-d", f] => self.facts.root.is_dir(f),
            ["-z", s] => s.is_empty(),
            ["-n", s] => !s.is_empty(),
            ["-z"] => true,
            [s] => !s.is_empty(),
            [] => false,
            _ => false,
        }
    }

    /// The multi-line scripts of the CIS files, recognised by shape.
    fn known_script(&mut self, script: &str) -> Result<Option<Run>> {
        static DATA_DIR: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
            Regex::new(r#"(?s)^DATA_DIR=''\s*for d in \$\((ps -ef \| grep \S+ \| grep -- --data-dir \| sed '[^']*')\); do\s*if test -d "\$d"; then DATA_DIR="\$d"; fi\s*done\s*if ! test -d "\$DATA_DIR"; then DATA_DIR=(\S+); fi\s*stat -c (\S+) "\$DATA_DIR"$"#).expect("valid regex")
        });
        static CAFILE: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
            Regex::new(r#"(?s)^CAFILE=\$\((ps -ef \| grep \S+ \| grep -v apiserver \| grep -- --client-ca-file= \| awk -F '--client-ca-file=' '\{print \$2\}' \| awk '\{print \$1\}' \| uniq)\)\s*if test -z \$CAFILE; then CAFILE=(\S+); fi\s*if test -e \$CAFILE; then stat -c (\S+) \$CAFILE; fi$"#).expect("valid regex")
        });
        static ENCRYPTION: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
            Regex::new(r#"(?s)^ENCRYPTION_PROVIDER_CONFIG=\$\((ps -ef \| grep \S+ \| grep -- --encryption-provider-config \| sed '[^']*')\)\s*if test -e \$ENCRYPTION_PROVIDER_CONFIG; then (grep -A1 'providers:') \$ENCRYPTION_PROVIDER_CONFIG (\| tail -n1 \| grep -o "\[A-Za-z\]\*" \| sed 's/\^/provider=/'); fi$"#).expect("valid regex")
        });
        let none = HashMap::new();
        if let Some(c) = DATA_DIR.captures(script) {
            let dirs = self.line(&c[1], &none)?.output;
            let dir = dirs
                .split_whitespace()
                .filter(|d| self.facts.root.is_dir(d))
                .last()
                .map_or_else(|| c[2].to_owned(), str::to_owned);
            let out = self.stat(&["-c".into(), c[3].to_owned(), dir]);
            return Ok(Some(Run {
                output: out.stderr + &out.stdout,
                ok: out.ok,
                files: Vec::new(),
            }));
        }
        if let Some(c) = CAFILE.captures(script) {
            let found = self.line(&c[1], &none)?.output;
            let file = found
                .split_whitespace()
                .next()
                .map_or_else(|| c[2].to_owned(), str::to_owned);
            if !self.facts.root.exists(&file) {
                return Ok(Some(Run {
                    ok: true,
                    ..Run::default()
                }));
            }
            let out = self.stat(&["-c".into(), c[3].to_owned(), file]);
            return Ok(Some(Run {
                output: out.stderr + &out.stdout,
                ok: out.ok,
                files: Vec::new(),
            }));
        }
        if let Some(c) = ENCRYPTION.captures(script) {
            let found = self.line(&c[1], &none)?.output;
            let file = found.trim().to_owned();
            // `test -e` with no operand is true in a shell; with a missing
            // file it is false and the script prints nothing.
            if file.is_empty() || !self.facts.root.exists(&file) {
                return Ok(Some(Run {
                    ok: true,
                    ..Run::default()
                }));
            }
            let rest = format!("cat '{}' | {} {}", file.replace('\'', ""), &c[2], &c[3]);
            return self.line(&rest, &none).map(Some);
        }
        Ok(None)
    }
}

/// The lines of a script, a newline inside quotes (or after a backslash)
/// not ending one.
fn logical_lines(script: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let (mut single, mut double, mut escaped, mut comment) = (false, false, false, false);
    for c in script.chars() {
        if comment {
            if c == '\n' {
                comment = false;
                lines.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c == '#'
            && !single
            && !double
            && !escaped
            && (current.is_empty() || current.ends_with(char::is_whitespace))
        {
            comment = true;
            continue;
        }
        if escaped {
            escaped = false;
            if c == '\n' {
                current.pop();
                continue;
            }
        } else if c == '\\' && !single {
            escaped = true;
        } else if c == '\'' && !double {
            single = !single;
        } else if c == '"' && !single {
            double = !double;
        } else if c == '\n' && !single && !double {
            lines.push(std::mem::take(&mut current));
            continue;
        }
        current.push(c);
    }
    lines.push(current);
    lines
}

fn join_lines(lines: &[&str]) -> String {
    let mut s = String::new();
    for l in lines {
        s.push_str(l);
        s.push('\n');
    }
    s
}

/// A POSIX basic regular expression as a `regex` pattern.
fn bre(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n @ ('(' | ')' | '|' | '{' | '}' | '+' | '?')) => out.push(n),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push_str("\\\\"),
            },
            '(' | ')' | '|' | '{' | '}' | '+' | '?' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn grep(args: &[String], stdin: &str) -> Result<Out> {
    let (mut invert, mut only, mut quiet, mut extended, mut fixed, mut ignore_case) =
        (false, false, false, false, false, false);
    let mut after = 0usize;
    let mut rest = Vec::new();
    let mut i = 0;
    let mut options_done = false;
    while i < args.len() {
        let a = &args[i];
        if options_done || !a.starts_with('-') || a == "-" {
            rest.push(a.clone());
        } else if a == "--" {
            options_done = true;
        } else if a == "-A" {
            after = args.get(i + 1).and_then(|v| v.parse().ok()).unwrap_or(0);
            i += 1;
        } else if let Some(n) = a.strip_prefix("-A") {
            after = n.parse().unwrap_or(0);
        } else {
            for f in a[1..].chars() {
                match f {
                    'v' => invert = true,
                    'o' => only = true,
                    'q' => quiet = true,
                    'E' => extended = true,
                    'F' => fixed = true,
                    'i' => ignore_case = true,
                    other => return unsupported(format!("grep -{other}")),
                }
            }
        }
        i += 1;
    }
    let Some(pattern) = rest.first() else {
        return unsupported("grep without a pattern");
    };
    if rest.len() > 1 {
        return unsupported("grep over files");
    }
    let source = if fixed {
        regex::escape(pattern)
    } else if extended {
        pattern.clone()
    } else {
        bre(pattern)
    };
    let re = regex::RegexBuilder::new(&source)
        .case_insensitive(ignore_case)
        .build()
        .map_err(|e| Unsupported(format!("grep pattern {pattern:?}: {e}")))?;
    let lines: Vec<&str> = stdin.lines().collect();
    let mut out = String::new();
    let mut any = false;
    let mut last_printed: Option<usize> = None;
    for (n, line) in lines.iter().enumerate() {
        if re.is_match(line) == invert {
            continue;
        }
        any = true;
        if only && !invert {
            for m in re.find_iter(line).filter(|m| !m.as_str().is_empty()) {
                out.push_str(m.as_str());
                out.push('\n');
            }
            continue;
        }
        if after > 0 && last_printed.is_some_and(|p| p + 1 < n) {
            out.push_str("--\n");
        }
        let end = (n + after).min(lines.len().saturating_sub(1));
        let start = last_printed.map_or(n, |p| (p + 1).max(n));
        for l in lines.iter().take(end + 1).skip(start) {
            out.push_str(l);
            out.push('\n');
        }
        last_printed = Some(end.max(last_printed.unwrap_or(0)));
    }
    Ok(Out {
        stdout: if quiet { String::new() } else { out },
        stderr: String::new(),
        ok: any,
    })
}

fn echo(args: &[String]) -> Out {
    let (newline, args) = match args.first().map(String::as_str) {
        Some("-n") => (false, &args[1..]),
        _ => (true, args),
    };
    let mut s = args.join(" ");
    if newline {
        s.push('\n');
    }
    Out::ok(s)
}

fn printf(args: &[String]) -> Out {
    let Some(format) = args.first() else {
        return Out::ok(String::new());
    };
    let mut values = args[1..].iter();
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('\\') => out.push('\\'),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            },
            '%' => match chars.next() {
                Some('s') | Some('d') => out.push_str(values.next().map_or("", String::as_str)),
                Some('%') => out.push('%'),
                Some(o) => {
                    out.push('%');
                    out.push(o);
                }
                None => out.push('%'),
            },
            c => out.push(c),
        }
    }
    Out::ok(out)
}

/// `sed 's<d>RE<d>REPLACEMENT<d>[g]'`.
fn sed(args: &[String], stdin: &str) -> Result<Out> {
    let [script] = args else {
        return unsupported("sed with options or several scripts");
    };
    let mut chars = script.chars();
    if chars.next() != Some('s') {
        return unsupported("sed commands other than s");
    }
    let Some(delim) = chars.next() else {
        return unsupported("sed s without a delimiter");
    };
    let body: String = chars.collect();
    let parts: Vec<&str> = body.split(delim).collect();
    let [re, replacement, flags] = parts.as_slice() else {
        return unsupported("sed script shape");
    };
    let re = Regex::new(&bre(re)).map_err(|e| Unsupported(format!("sed pattern: {e}")))?;
    let mut rep = String::new();
    let mut rc = replacement.chars();
    while let Some(c) = rc.next() {
        match c {
            '\\' => match rc.next() {
                Some(d) if d.is_ascii_digit() => rep.push_str(&format!("${{{d}}}")),
                Some(o) => rep.push(o),
                None => {}
            },
            '&' => rep.push_str("${0}"),
            '$' => rep.push_str("$$"),
            c => rep.push(c),
        }
    }
    let global = flags.contains('g');
    let lines: Vec<String> = stdin
        .lines()
        .map(|l| {
            if global {
                re.replace_all(l, rep.as_str()).into_owned()
            } else {
                re.replace(l, rep.as_str()).into_owned()
            }
        })
        .collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    Ok(Out::ok(join_lines(&refs)))
}

/// `awk [-F SEP] '{print $N}'`.
fn awk(args: &[String], stdin: &str) -> Result<Out> {
    let (sep, program) = match args {
        [f, sep, p] if f == "-F" => (Some(sep.as_str()), p),
        [p] => (None, p),
        _ => return unsupported("awk form"),
    };
    let field: usize = program
        .trim()
        .strip_prefix("{print $")
        .and_then(|r| r.strip_suffix('}'))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| Unsupported(format!("awk program {program:?}")))?;
    let mut out = String::new();
    for line in stdin.lines() {
        let value = match (sep, field) {
            (_, 0) => Some(line),
            (Some(s), n) => line.split(s).nth(n - 1),
            (None, n) => line.split_whitespace().nth(n - 1),
        };
        out.push_str(value.unwrap_or(""));
        out.push('\n');
    }
    Ok(Out::ok(out))
}

fn tail_head(name: &str, args: &[String], stdin: &str) -> Result<Out> {
    let n: usize = match args {
        [] => 10,
        [a] if a.starts_with("-n") && a.len() > 2 => a[2..].parse().unwrap_or(10),
        [a, v] if a == "-n" => v.parse().unwrap_or(10),
        [a] if a.starts_with('-') => a[1..].parse().unwrap_or(10),
        _ => return unsupported(format!("{name} form")),
    };
    let lines: Vec<&str> = stdin.lines().collect();
    let chosen = if name == "tail" {
        &lines[lines.len().saturating_sub(n)..]
    } else {
        &lines[..n.min(lines.len())]
    };
    Ok(Out::ok(join_lines(chosen)))
}
