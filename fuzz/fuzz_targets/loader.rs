//! The loader on arbitrary bytes: it must never panic, hang or blow up.
#![no_main]

use kubeward_core::load::{LoadOptions, load_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = load_text("fuzz.yaml".into(), text, &LoadOptions::default());
    }
});
