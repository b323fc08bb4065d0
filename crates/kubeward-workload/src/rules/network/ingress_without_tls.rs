use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags Ingresses without a `tls` section, and Ingresses whose rules name
    /// hosts that no `tls` entry covers (wildcard `*.example.com` entries cover
    /// one label). A `tls` entry without `hosts` (or with an empty list)
    /// covers every host: the API leaves such an entry to the controller's
    /// default certificate, the usual `tls: [{secretName: wildcard-cert}]`.
    ///
    /// ## Why is this bad?
    /// Without TLS, credentials, session cookies and data cross the network in
    /// clear text, open to anyone on the path.
    ///
    /// ## How to fix
    /// Add a `tls` entry for every host, with a certificate Secret (for
    /// example from cert-manager).
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   tls:
    ///     - hosts: ["shop.example.com"]
    ///       secretName: shop-tls
    /// ```
    static RULE = {
        id: "KW504",
        slug: "ingress-without-tls",
        title: "Ingress without TLS",
        severity: Medium,
        layer: Code,
        owasp: K07,
        references: [],
        check: Check::Object { kinds: &["Ingress"], check },
    };
}

fn check(object: &Object, emit: &mut Emit<'_>) {
    let Some(spec) = object.root.field("spec") else {
        return;
    };
    let tls = spec.field("tls").map(Node::items).unwrap_or_default();
    if tls.is_empty() {
        emit.at(spec.pos, "spec.tls", "Ingress serves without TLS");
        return;
    }
    let covers_every_host = tls
        .iter()
        .any(|t| t.as_map().is_some() && t.field("hosts").is_none_or(|h| h.items().is_empty()));
    if covers_every_host {
        return;
    }
    let covered: Vec<&str> = tls
        .iter()
        .flat_map(|t| t.field("hosts").map(Node::items).unwrap_or_default())
        .filter_map(Node::as_str)
        .collect();
    let rules = spec.field("rules").map(Node::items).unwrap_or_default();
    for (i, rule) in rules.iter().enumerate() {
        let Some(host) = rule.field("host") else {
            continue;
        };
        let Some(name) = host.as_str() else { continue };
        if !covered.iter().any(|c| host_matches(c, name)) {
            emit.at(
                host.pos,
                format!("spec.rules[{i}].host"),
                format!("Ingress serves host {name:?} without TLS"),
            );
        }
    }
}

/// Whether a TLS host entry covers a rule host (`*.a.com` covers `b.a.com`).
fn host_matches(entry: &str, host: &str) -> bool {
    if entry.eq_ignore_ascii_case(host) {
        return true;
    }
    match (entry.strip_prefix("*."), host.split_once('.')) {
        (Some(suffix), Some((_, rest))) => suffix.eq_ignore_ascii_case(rest),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::host_matches;

    #[test]
    fn wildcards_cover_one_label() {
        assert!(host_matches("*.example.com", "shop.example.com"));
        assert!(!host_matches("*.example.com", "a.shop.example.com"));
        assert!(host_matches("Shop.example.com", "shop.example.com"));
    }
}
