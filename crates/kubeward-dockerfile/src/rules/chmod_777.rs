use crate::rule::{Hit, Lint};
use crate::shell::{commands, program};

rule! {
    /// ## What it does
    /// Flags `chmod 777` (also `0777`, `a+rwx`, `ugo+rwx`, `o+w`) in `RUN`
    /// steps and `COPY`/`ADD --chmod=777`.
    ///
    /// ## Why is this bad?
    /// Files and directories anyone can write let any process in the
    /// container replace programs, scripts or configuration that others run.
    ///
    /// ## How to fix
    /// Give the files to the user that needs them (`COPY --chown=10001:10001`)
    /// with modes like `0755` and `0644`.
    static RULE = {
        id: "KW710",
        slug: "dockerfile-chmod-777",
        title: "World-writable permissions set",
        severity: Medium,
        layer: Container,
        owasp: K01,
        references: [],
        check: check,
    };
}

/// Whether `mode` lets anyone write, not counting sticky directories
/// (`1777`, `+t`): like `/tmp`, anyone may add files there but only remove
/// their own, which the image check KW807 accepts too.
fn world_writable(mode: &str) -> bool {
    let octal = mode.trim_start_matches('0');
    if !octal.is_empty() && octal.len() <= 4 && octal.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        let digits = octal.as_bytes();
        let sticky = digits.len() == 4 && (digits[0] - b'0') & 1 != 0;
        return (digits[digits.len() - 1] - b'0') & 2 != 0 && !sticky;
    }
    if mode
        .split(',')
        .any(|clause| clause.contains('t') && !clause.contains('-'))
    {
        return false;
    }
    mode.split(',').any(|clause| {
        let (who, rest) = clause.split_at(clause.find(['+', '=']).unwrap_or(clause.len()));
        (who.contains('a') || who.contains('o') || who.is_empty() && !rest.is_empty())
            && rest.contains('w')
            && !rest.starts_with('-')
    })
}

fn check(l: &Lint<'_>, out: &mut Vec<Hit>) {
    for (i, ins) in l.each("RUN") {
        for c in commands(&Lint::run_text(ins)) {
            if program(&c) != "chmod" {
                continue;
            }
            if let Some(mode) = c.iter().skip(1).find(|w| !w.starts_with('-'))
                && world_writable(mode)
            {
                out.push(l.hit(i, format!("chmod {mode} makes files writable by anyone")));
            }
        }
    }
    for keyword in ["COPY", "ADD"] {
        for (i, ins) in l.each(keyword) {
            if let Some(mode) = ins.flag("chmod").filter(|m| world_writable(m)) {
                out.push(l.hit(
                    i,
                    format!("{keyword} --chmod={mode} makes files writable by anyone"),
                ));
            }
        }
    }
}
