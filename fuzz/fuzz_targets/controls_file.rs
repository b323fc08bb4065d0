//! A kube-bench controls file: parse it, then run every check against an
//! empty node tree. Nothing may panic or hang.
#![no_main]

use kubeward_node::controls::{self, ShellPolicy, model, vars::Vars};
use kubeward_node::{NodeFacts, Root};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(c) = model::parse(text) {
        let facts = NodeFacts::new(Root::new("/nonexistent-kubeward-fuzz-root"));
        let _ = controls::run(&c, &Vars::default(), &facts, ShellPolicy::Never);
    }
});
