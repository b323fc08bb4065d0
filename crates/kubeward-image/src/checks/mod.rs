//! Image checks, one file each: the image's configuration (user, tags,
//! secrets, ports), what its final file system holds (shells, SSH, setuid
//! binaries, world-writable directories, package managers) and the tamper
//! evidence scanning gathered. A check's doc comment is its documentation
//! (`kubeward explain KW8xx`).

use kubeward_core::RuleMeta;

use crate::scan::ScannedImage;

/// Declares a check: its doc comment becomes its documentation.
macro_rules! check {
    ($(#[doc = $doc:literal])+ static $name:ident = { $($body:tt)* };) => {
        kubeward_core::declare_rule! {
            $(#[doc = $doc])+ static $name: $crate::checks::ImageCheck = { $($body)* };
        }
    };
}

mod latest_tag;
mod package_database_linked;
mod package_database_removed;
mod package_file_modified;
mod package_manager_present;
mod privileged_port;
mod runs_as_root;
mod secret_in_config;
mod setuid_binaries;
mod shell_in_minimal_image;
mod ssh_server;
mod unowned_executable;
mod world_writable_directory;

/// A check: its metadata and how it runs.
#[derive(Debug)]
pub struct ImageCheck {
    pub meta: RuleMeta,
    pub check: fn(&ScannedImage, &mut Vec<ImageFinding>),
}

/// One check firing: where (a file path or a configuration field) and why.
#[derive(Clone, Debug)]
pub struct ImageFinding {
    pub rule: &'static RuleMeta,
    /// `config.User`, `config.Env[2]`, or a file path in the image.
    pub path: String,
    pub message: String,
}

/// Every image check, in id order.
pub static ALL: &[&ImageCheck] = &[
    &runs_as_root::CHECK,
    &latest_tag::CHECK,
    &secret_in_config::CHECK,
    &ssh_server::CHECK,
    &shell_in_minimal_image::CHECK,
    &setuid_binaries::CHECK,
    &world_writable_directory::CHECK,
    &package_manager_present::CHECK,
    &privileged_port::CHECK,
    &unowned_executable::CHECK,
    &package_file_modified::CHECK,
    &package_database_removed::CHECK,
    &package_database_linked::CHECK,
];

/// The check with this id or slug.
pub fn find(name: &str) -> Option<&'static ImageCheck> {
    ALL.iter().copied().find(|c| c.meta.is_named(name))
}

/// Runs every check.
pub fn run(image: &ScannedImage) -> Vec<ImageFinding> {
    let mut out = Vec::new();
    for c in ALL {
        (c.check)(image, &mut out);
    }
    out
}

/// Whether an image says it is minimal (distroless, slim, static, scratch,
/// micro) in its name, tags or labels.
pub(crate) fn claims_minimal(image: &ScannedImage) -> bool {
    const WORDS: [&str; 5] = ["distroless", "minimal", "slim", "static", "micro"];
    let mut texts: Vec<&str> = vec![image.reference.as_str()];
    texts.extend(image.repo_tags.iter().map(String::as_str));
    if let Some(labels) = &image.config.config.labels {
        texts.extend(labels.values().map(String::as_str));
    }
    texts.extend(image.annotations.values().map(String::as_str));
    let distroless_dpkg = image.os_database.as_deref() == Some("var/lib/dpkg/status.d");
    distroless_dpkg
        || texts.iter().any(|t| {
            let t = t.to_ascii_lowercase();
            WORDS.iter().any(|w| t.contains(w))
        })
}

/// Shells people reach for.
pub(crate) const SHELLS: [&str; 6] = [
    "bin/sh",
    "bin/bash",
    "bin/dash",
    "bin/ash",
    "bin/zsh",
    "bin/busybox",
];

/// Whether `path` exists as a regular file (through symlinks) in the image.
pub(crate) fn has_file(image: &ScannedImage, path: &str) -> bool {
    image.tree.resolve(path).is_some_and(|(_, n)| {
        n.kind == crate::layer::EntryKind::File || n.kind == crate::layer::EntryKind::HardLink
    })
}
