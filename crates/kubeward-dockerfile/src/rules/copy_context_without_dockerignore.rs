use crate::parse::Form;
use crate::rule::{Hit, Lint};

rule! {
    /// ## What it does
    /// Flags `COPY . …` (or `ADD . …`) of the whole build context when the
    /// context has no `.dockerignore`.
    ///
    /// ## Why is this bad?
    /// Everything in the directory goes into the image: `.git` with its
    /// history, `.env` files, local credentials, build output. Secrets copied
    /// this way are published with the image.
    ///
    /// ## How to fix
    /// Add a `.dockerignore` (at least `.git`, `.env*`, `*.pem`, build output)
    /// or copy only what the image needs.
    static RULE = {
        id: "KW711",
        slug: "dockerfile-copy-context-without-dockerignore",
        title: "Whole build context copied without a .dockerignore",
        severity: Medium,
        layer: Container,
        owasp: K08,
        references: ["CIS Docker 4.10"],
        check: check,
    };
}

fn check(l: &Lint<'_>, out: &mut Vec<Hit>) {
    if l.has_dockerignore {
        return;
    }
    for keyword in ["COPY", "ADD"] {
        for (i, ins) in l.each(keyword) {
            if ins.flag("from").is_some() {
                continue;
            }
            let words = match &ins.form {
                Form::Shell(s) => crate::shell::words(s),
                Form::Json(v) => v.clone(),
            };
            let sources = &words[..words.len().saturating_sub(1)];
            if sources.iter().any(|s| s == "." || s == "./") {
                out.push(l.hit(
                    i,
                    format!("{keyword} copies the whole build context, which has no .dockerignore"),
                ));
            }
        }
    }
}
