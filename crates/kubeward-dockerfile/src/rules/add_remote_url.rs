use crate::rule::{Hit, Lint};

rule! {
    /// ## What it does
    /// Flags `ADD` instructions that download from a URL.
    ///
    /// ## Why is this bad?
    /// `ADD https://…` fetches whatever the server returns at build time,
    /// with no checksum unless `--checksum` is given: a compromised or
    /// changed download goes straight into the image.
    ///
    /// ## How to fix
    /// Download in a `RUN` step and verify a pinned checksum, or use
    /// `ADD --checksum=sha256:… https://…`.
    static RULE = {
        id: "KW704",
        slug: "dockerfile-add-remote-url",
        title: "ADD downloads from a URL",
        severity: Medium,
        layer: Container,
        owasp: K02,
        references: ["CIS Docker 4.9", "hadolint DL3020"],
        check: check,
    };
}

fn check(l: &Lint<'_>, out: &mut Vec<Hit>) {
    for (i, ins) in l.each("ADD") {
        if ins.flag("checksum").is_some() {
            continue;
        }
        let words = match &ins.form {
            crate::parse::Form::Shell(s) => crate::shell::words(s),
            crate::parse::Form::Json(v) => v.clone(),
        };
        let sources = &words[..words.len().saturating_sub(1)];
        for src in sources {
            if src.starts_with("http://") || src.starts_with("https://") || src.starts_with("git@")
            {
                out.push(l.hit(i, format!("ADD fetches {src} without a checksum")));
            }
        }
    }
}
