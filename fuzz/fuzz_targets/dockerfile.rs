//! The Dockerfile parser and every rule on arbitrary text, and on the text
//! as the body of 20,000 chained stages (`#stages` on the first line): the
//! shape that made stage resolution quadratic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn lint(text: &str) {
    let _ = kubeward_dockerfile::lint("Dockerfile", text, false, kubeward_dockerfile::rules::ALL);
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    lint(text);
    if let Some(body) = text.strip_prefix("#stages\n").filter(|b| b.len() <= 256) {
        let mut many = String::from("FROM alpine:3.19 AS s0\n");
        for i in 1..20_000 {
            many.push_str(&format!("FROM s{} AS s{i}\n{body}\n", i - 1));
        }
        lint(&many);
    }
});
