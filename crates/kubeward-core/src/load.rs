//! Finding inputs (files, directories, stdin) and loading the Kubernetes
//! objects they hold, with bounded reads.

use crate::bounded;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::object::{Notice, Object, objects_from};
use crate::origin::{Diagnostic, Origin};
use crate::yaml::{Limits, parse_documents};

/// The name stdin is reported under.
pub const STDIN_NAME: &str = "<stdin>";

/// One input to read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn name(&self) -> Arc<str> {
        match self {
            Input::Stdin => STDIN_NAME.into(),
            Input::File(p) => display_path(p).into(),
        }
    }
}

/// Paths are shown as given, with `/` separators and without a leading `./`.
fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    let s = s.strip_prefix("./").unwrap_or(&s);
    s.replace('\\', "/")
}

/// How much one input may hold.
#[derive(Clone, Copy, Debug)]
pub struct LoadOptions {
    /// Largest input read, in bytes; a larger one is an input error.
    pub max_input_bytes: u64,
    pub limits: Limits,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            max_input_bytes: 32 * 1024 * 1024,
            limits: Limits::default(),
        }
    }
}

/// What one input gave: its objects, notices, and errors.
#[derive(Debug, Default)]
pub struct Loaded {
    pub objects: Vec<Object>,
    pub notices: Vec<Diagnostic>,
    pub errors: Vec<Diagnostic>,
}

/// Glob patterns for paths to leave out of a directory walk.
#[derive(Clone, Debug, Default)]
pub struct Excludes {
    set: GlobSet,
}

impl Excludes {
    /// `**` crosses directories, `*` does not; a pattern without `/` matches a
    /// file or directory name at any depth.
    pub fn new(patterns: &[String]) -> Result<Self, String> {
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            let full = if pattern.contains('/') {
                pattern.trim_start_matches("./").to_owned()
            } else {
                format!("**/{pattern}")
            };
            let glob = GlobBuilder::new(&full)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("exclude pattern `{pattern}`: {e}"))?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|e| e.to_string())?;
        Ok(Self { set })
    }

    fn matches(&self, relative: &Path) -> bool {
        !self.set.is_empty() && self.set.is_match(relative)
    }
}

/// Expands the paths given on the command line into manifest inputs: `-` is
/// stdin, a file is taken whatever its name, a directory is walked for
/// `.yaml`, `.yml` and `.json` files (hidden directories and symlinks are not
/// followed).
pub fn discover(paths: &[PathBuf], excludes: &Excludes) -> (Vec<Input>, Vec<Diagnostic>) {
    discover_named(paths, excludes, is_manifest_name)
}

/// As [`discover`], with `wanted` saying which file names a directory walk
/// takes.
pub fn discover_named(
    paths: &[PathBuf],
    excludes: &Excludes,
    wanted: fn(&Path) -> bool,
) -> (Vec<Input>, Vec<Diagnostic>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            if !inputs.contains(&Input::Stdin) {
                inputs.push(Input::Stdin);
            }
            continue;
        }
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                errors.push(Diagnostic::new(
                    display_path(path).into(),
                    None,
                    io_message(&e),
                ));
                continue;
            }
        };
        if !meta.is_dir() {
            inputs.push(Input::File(path.clone()));
            continue;
        }
        let mut found = Vec::new();
        let walker = walkdir::WalkDir::new(path).follow_links(false).into_iter();
        let walker = walker.filter_entry(|entry| {
            let relative = entry.path().strip_prefix(path).unwrap_or(entry.path());
            let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
            !hidden && !excludes.matches(relative)
        });
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() && wanted(entry.path()) => {
                    found.push(Input::File(entry.into_path()));
                }
                Ok(_) => {}
                Err(e) => {
                    let at = e.path().unwrap_or(path);
                    let message = e.io_error().map_or_else(|| e.to_string(), io_message);
                    errors.push(Diagnostic::new(display_path(at).into(), None, message));
                }
            }
        }
        found.sort();
        inputs.extend(found);
    }
    (inputs, errors)
}

fn is_manifest_name(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}

/// Reads and parses one input.
pub fn load(input: &Input, options: &LoadOptions) -> Loaded {
    let name = input.name();
    match read_bounded(input, options.max_input_bytes) {
        Ok(text) => load_text(name, &text, options),
        Err((line, message)) => Loaded {
            errors: vec![Diagnostic::new(name, line, message)],
            ..Loaded::default()
        },
    }
}

/// The input's text, or the line (where there is one) and what is wrong.
fn read_bounded(input: &Input, max: u64) -> Result<String, (Option<u32>, String)> {
    let bytes = match input {
        Input::Stdin => bounded::read_to_end(std::io::stdin().lock(), max),
        Input::File(path) => bounded::read_file(path, max),
    }
    .map_err(|e| (None, io_message(&e)))?;
    String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error().valid_up_to();
        let newlines = e.as_bytes()[..bad].iter().filter(|&&b| b == b'\n').count();
        let line = u32::try_from(newlines + 1).unwrap_or(u32::MAX);
        (Some(line), "not valid UTF-8".to_owned())
    })
}

/// Parses a text that holds YAML or JSON documents into objects.
///
/// Helm output's `# Source: chart/templates/x.yaml` comments make the template
/// the reported file of the documents that follow them.
pub fn load_text(name: Arc<str>, text: &str, options: &LoadOptions) -> Loaded {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (documents, error) = parse_documents(text, options.limits);
    let sources = helm_sources(text);
    let plain = Arc::new(Origin::input(name.clone()));
    let mut loaded = Loaded::default();
    let mut notices: Vec<Notice> = Vec::new();
    let mut previous_line = 0;
    for document in documents {
        let line = document.root.pos.line;
        let origin = sources
            .iter()
            .rev()
            .find(|(at, _)| *at < line && *at > previous_line)
            .map_or_else(
                || plain.clone(),
                |(at, template)| Arc::new(Origin::rendered(name.clone(), template, *at)),
            );
        previous_line = line;
        objects_from(document.root, &origin, &mut loaded.objects, &mut notices);
    }
    loaded.notices = notices
        .into_iter()
        .map(|n| Diagnostic::new(name.clone(), Some(n.pos.line), n.message))
        .collect();
    if let Some(e) = error {
        loaded
            .errors
            .push(Diagnostic::new(name, Some(e.pos.line), e.message));
    }
    loaded
}

/// `(line, template)` of every Helm `# Source:` comment.
fn helm_sources(text: &str) -> Vec<(u32, &str)> {
    if !text.contains("# Source: ") {
        return Vec::new();
    }
    text.lines()
        .zip(1u32..)
        .filter_map(|(line, n)| {
            let source = line.trim_start().strip_prefix("# Source: ")?.trim();
            (!source.is_empty()).then_some((n, source))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(text: &str) -> Loaded {
        load_text("t.yaml".into(), text, &LoadOptions::default())
    }

    #[test]
    fn lists_are_flattened() {
        let loaded = load_str(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n- apiVersion: v1\n  kind: ServiceList\n  items:\n  - {apiVersion: v1, kind: Service, metadata: {name: s}}\n",
        );
        let names: Vec<_> = loaded.objects.iter().map(|o| o.meta.to_string()).collect();
        assert_eq!(names, ["Pod/a", "Service/s"]);
        assert_eq!(loaded.objects[1].meta.pos.line, 10);
    }

    #[test]
    fn non_objects_are_notices_not_errors() {
        let loaded = load_str("---\nfoo: bar\n---\n- 1\n---\n");
        assert!(loaded.objects.is_empty());
        assert!(loaded.errors.is_empty());
        assert_eq!(loaded.notices.len(), 2);
        assert_eq!(
            loaded.notices[0].to_string(),
            "t.yaml:2: not a Kubernetes object (no apiVersion and kind)"
        );
    }

    #[test]
    fn helm_sources_become_origins() {
        let text = "---\n# Source: app/templates/sa.yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n---\n# Source: app/templates/deploy.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n";
        let loaded = load_text("<stdin>".into(), text, &LoadOptions::default());
        let d = &loaded.objects[1].meta;
        assert_eq!(&*d.origin.file, "app/templates/deploy.yaml");
        let loc = d.location();
        assert_eq!(loc.pos().line, 1);
        assert_eq!(loc.input_pos.line, 9);
        assert_eq!(
            &*loaded.objects[0].meta.origin.file,
            "app/templates/sa.yaml"
        );
    }

    #[test]
    fn syntax_errors_keep_earlier_documents() {
        let loaded =
            load_str("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\nkind: [\n");
        assert_eq!(loaded.objects.len(), 1);
        assert_eq!(loaded.errors.len(), 1);
        assert!(loaded.errors[0].to_string().starts_with("t.yaml:"));
    }

    #[test]
    fn bad_ignore_annotations_are_notices() {
        let loaded = load_str(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    kubeward.io/ignore: ': no ids'\n",
        );
        assert_eq!(loaded.objects.len(), 1);
        assert!(loaded.notices[0].message.contains("names no rule"));
    }

    #[test]
    fn discovery_walks_directories_with_excludes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "a.yaml",
            "b.yml",
            "c.json",
            "d.txt",
            ".hidden/e.yaml",
            "vendor/f.yaml",
            "sub/g.yaml",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "").unwrap();
        }
        let ex = Excludes::new(&["vendor".to_owned()]).unwrap();
        let (inputs, errors) = discover(&[root.to_path_buf(), root.join("missing")], &ex);
        let names: Vec<_> = inputs
            .iter()
            .map(|i| match i {
                Input::File(p) => p.strip_prefix(root).unwrap().to_string_lossy().into_owned(),
                Input::Stdin => "-".into(),
            })
            .collect();
        assert_eq!(names, ["a.yaml", "b.yml", "c.json", "sub/g.yaml"]);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .to_string()
                .ends_with("missing: no such file or directory")
        );
    }

    #[test]
    fn oversized_and_non_utf8_inputs_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.yaml");
        std::fs::write(&big, "a: 1\n".repeat(100)).unwrap();
        let opts = LoadOptions {
            max_input_bytes: 10,
            ..LoadOptions::default()
        };
        let loaded = load(&Input::File(big), &opts);
        assert!(loaded.errors[0].message.contains("input limit"));
        let bin = dir.path().join("bin.yaml");
        std::fs::write(&bin, b"a: 1\nb: \xff\n").unwrap();
        let loaded = load(&Input::File(bin), &LoadOptions::default());
        assert!(
            loaded.errors[0]
                .to_string()
                .ends_with("bin.yaml:2: not valid UTF-8")
        );
    }
}
