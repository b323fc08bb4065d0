use super::install;
use crate::rule::{Hit, Lint};
use crate::shell::commands;

rule! {
    /// ## What it does
    /// Flags `RUN` steps that install packages and leave the package
    /// manager's cache in the layer: `apt-get install` without
    /// `rm -rf /var/lib/apt/lists/*`, `apk add` without `--no-cache`,
    /// `yum`/`dnf install` without `clean all`, `pip install` without
    /// `--no-cache-dir`. A BuildKit cache mount (`--mount=type=cache`) counts
    /// as clean.
    ///
    /// ## Why is this bad?
    /// The cache stays in the layer for good (a later `rm` cannot shrink an
    /// earlier layer): larger images, slower pulls, and stale package indexes
    /// shipped to production.
    ///
    /// ## How to fix
    /// Clean in the same `RUN`:
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    static RULE = {
        id: "KW707",
        slug: "dockerfile-package-cache-not-cleaned",
        title: "Package manager cache left in the layer",
        severity: Low,
        layer: Container,
        owasp: K02,
        references: ["hadolint DL3009", "hadolint DL3019", "hadolint DL3032", "hadolint DL3042"],
        check: check,
    };
}

fn check(l: &Lint<'_>, out: &mut Vec<Hit>) {
    for (i, ins) in l.each("RUN") {
        if ins
            .flags
            .iter()
            .any(|(n, v)| n == "mount" && v.as_deref().is_some_and(|v| v.contains("type=cache")))
        {
            continue;
        }
        let text = Lint::run_text(ins);
        let cmds = commands(&text);
        let mut dirty = Vec::new();
        for c in &cmds {
            let Some(inst) = install(c) else { continue };
            let clean = match inst.manager {
                "apt" => text.contains("/var/lib/apt/lists"),
                "apk" => c.iter().any(|w| w == "--no-cache") || text.contains("/var/cache/apk"),
                "rpm" => {
                    text.contains("clean all")
                        || text.contains("/var/cache/yum")
                        || text.contains("/var/cache/dnf")
                }
                "pip" => {
                    c.iter().any(|w| w == "--no-cache-dir") || text.contains("PIP_NO_CACHE_DIR")
                }
                _ => true,
            };
            if !clean && !dirty.contains(&inst.manager) {
                dirty.push(inst.manager);
            }
        }
        for manager in dirty {
            out.push(l.hit(
                i,
                format!("{manager} installs packages and leaves its cache in the layer"),
            ));
        }
    }
}
