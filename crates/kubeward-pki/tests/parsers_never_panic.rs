//! Property tests: certificate and key parsing of untrusted bytes never panics.
// Helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use kubeward_pki::inspect::{inspect, with_certificate};
use kubeward_pki::keys::{load_key, public_key_of};
use proptest::prelude::*;

proptest! {
    #[test]
    fn certificates_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(facts) = with_certificate(&bytes, inspect) {
            let _ = facts.text();
        }
    }

    #[test]
    fn pem_keys_never_panic(label in "(RSA |EC )?PRIVATE KEY", body in prop::collection::vec(any::<u8>(), 0..300)) {
        use base64::Engine;
        let pem = format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            base64::engine::general_purpose::STANDARD.encode(&body)
        );
        let _ = public_key_of(&pem);
        let _ = load_key(&pem);
    }
}
