//! Reading Falco rule files from disk into a [`RuleSet`].

use std::path::Path;
use std::sync::Arc;

use kubeward_falco::ruleset::{LoadError, Loc, RuleSet};

/// Largest rule file read (the biggest upstream file is under 100 KiB).
pub const MAX_RULE_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a rule file (bounded in size) or, as Falco's `rules_files`, a
/// directory's files in name order (not its subdirectories). A file that
/// cannot be read is a load error of the set, named by its path.
pub fn load(set: &mut RuleSet, path: &Path) {
    let name: Arc<str> = path.display().to_string().into();
    let loc = Loc {
        file: name.clone(),
        line: 0,
    };
    if path.is_dir() {
        match std::fs::read_dir(path) {
            Ok(entries) => {
                let mut files: Vec<_> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file())
                    .collect();
                files.sort();
                for file in files {
                    load(set, &file);
                }
            }
            Err(e) => set.errors.push(LoadError::new(&loc, e.to_string())),
        }
        return;
    }
    match kubeward_core::bounded::read_text(path, MAX_RULE_FILE_BYTES) {
        Ok(text) => set.load_str(name, &text),
        Err(e) => set.errors.push(LoadError::new(&loc, e.to_string())),
    }
}
