//! Rules on `EncryptionConfiguration` files (`--encryption-provider-config`):
//! whether the API server encrypts what it writes to etcd, and with keys of a
//! proper length. Findings never show a key, only where it is.

pub(super) mod encryption_identity_first;
pub(super) mod encryption_weak_key;

use kubeward_core::{Node, Object};

/// Each `resources[]` entry's resource names and provider list.
pub(crate) fn entries(object: &Object) -> Vec<(Vec<String>, &[Node])> {
    object
        .root
        .field("resources")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .map(|entry| {
            let names = entry
                .field("resources")
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect();
            let providers = entry
                .field("providers")
                .map(Node::items)
                .unwrap_or_default();
            (names, providers)
        })
        .collect()
}

/// The length in bytes of a base64 text, when it is valid base64.
pub(crate) fn base64_len(text: &str) -> Option<usize> {
    let t: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if t.is_empty() || !t.len().is_multiple_of(4) {
        return None;
    }
    let pad = t.iter().rev().take_while(|b| **b == b'=').count();
    let body = &t[..t.len() - pad];
    let valid = pad <= 2
        && body
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/');
    valid.then(|| t.len() / 4 * 3 - pad)
}

#[cfg(test)]
mod tests {
    use super::base64_len;

    #[test]
    fn lengths() {
        assert_eq!(
            base64_len("c2VjcmV0IGlzIHNlY3VyZSwgb3IgaXMgaXQ/Cg=="),
            Some(28)
        );
        assert_eq!(base64_len("AAAAAAAAAAAAAAAAAAAAAA=="), Some(16));
        assert_eq!(base64_len("not base64!"), None);
        assert_eq!(base64_len(""), None);
    }
}
