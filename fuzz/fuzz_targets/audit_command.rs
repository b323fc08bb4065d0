//! An audit snippet, evaluated offline against an empty node tree, and the
//! same text as a JSONPath template over a small document. Nothing may
//! panic or hang.
#![no_main]

use kubeward_core::yaml::{Limits, parse_documents};
use kubeward_node::controls::{audit, jsonpath};
use kubeward_node::{NodeFacts, Root};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let facts = NodeFacts::new(Root::new("/nonexistent-kubeward-fuzz-root"));
    let _ = audit::evaluate(text, &facts);
    let (docs, _) = parse_documents("a: {b: [1, 2, {c: d}]}\n", Limits::default());
    if let Some(doc) = docs.first() {
        let _ = jsonpath::evaluate(text, &doc.root);
    }
});
