//! Falco rule files and conditions from arbitrary text: loading, compiling
//! and rendering must never panic.
#![no_main]

use kubeward_falco::RuleSet;
use kubeward_falco::compile::compile;
use kubeward_falco::condition::{expand_lists, parse_condition};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = parse_condition(text);
    let items = vec!["a b".to_owned(), String::new()];
    let _ = expand_lists(text, |n| (n.len() % 3 == 0).then_some(items.as_slice()));
    let mut set = RuleSet::new();
    set.load_str("fuzz.yaml".into(), text);
    let _ = compile(&set);
});
