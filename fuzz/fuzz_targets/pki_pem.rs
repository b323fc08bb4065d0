//! Certificates and keys from untrusted files: inspect any bytes as a
//! certificate and read the public key of any text as a private key.
#![no_main]

use kubeward_pki::inspect::{inspect, with_certificate};
use kubeward_pki::keys::public_key_of;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(facts) = with_certificate(data, inspect) {
        let _ = facts.text();
        let _ = facts.json();
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = public_key_of(text);
    }
});
