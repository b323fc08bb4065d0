//! The Dockerfile parser and every rule on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = kubeward_dockerfile::lint("Dockerfile", text, false, kubeward_dockerfile::rules::ALL);
    }
});
