//! Kubelet and kube-proxy checks that need more than one setting.

use kubeward_core::benchmark::Evidence;
use kubeward_core::yaml::{Limits, parse_documents};

use super::Outcome;
use crate::facts::{Component, NodeFacts, SettingSource};

/// Whether a Go duration (`0`, `0s`, `1h30m`, `5m0s`) is zero.
fn is_zero_duration(text: &str) -> bool {
    let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
    !digits.is_empty() && digits.bytes().all(|b| b == b'0')
}

/// CIS 4.2.5: the streaming idle timeout is not zero. A zero in the
/// configuration file is replaced by the default (4h) when the kubelet
/// loads it; a zero flag is taken as it is.
pub(crate) fn streaming_timeout(facts: &NodeFacts) -> Outcome {
    let seen = facts.kubelet_setting(
        "--streaming-connection-idle-timeout",
        &["streamingConnectionIdleTimeout"],
        Some("4h0m0s"),
        Some("4h0m0s"),
    );
    let value = seen.value.clone().unwrap_or_default();
    let mut evidence = seen.evidence;
    let zero = is_zero_duration(&value);
    match (zero, seen.source) {
        (true, SettingSource::Flag) => {
            evidence.note = format!("{}: no timeout at all", evidence.note);
            Outcome::fail(vec![evidence])
        }
        (true, _) => {
            evidence.note = format!(
                "{}: a zero value in the file is defaulted to 4h by the kubelet",
                evidence.note
            );
            Outcome::pass(vec![evidence])
        }
        (false, _) => Outcome::pass(vec![evidence]),
    }
}

/// CIS 4.2.9: the kubelet has a serving certificate and key.
pub(crate) fn tls_files(facts: &NodeFacts) -> Outcome {
    let cert = facts.kubelet_setting("--tls-cert-file", &["tlsCertFile"], None, None);
    let key = facts.kubelet_setting("--tls-private-key-file", &["tlsPrivateKeyFile"], None, None);
    let passed = cert.value.is_some() && key.value.is_some();
    Outcome::of(passed, vec![cert.evidence, key.evidence])
}

/// CIS 4.2.11: `RotateKubeletServerCertificate` is not turned off.
pub(crate) fn rotate_server_certificate(facts: &NodeFacts) -> Outcome {
    const GATE: &str = "RotateKubeletServerCertificate";
    let flag = facts
        .command(Component::Kubelet)
        .and_then(|c| c.get("--feature-gates"));
    if let Some(f) = flag {
        let off = f.effective().split(',').any(|g| {
            g.trim()
                .split_once('=')
                .is_some_and(|(k, v)| k.trim() == GATE && v.trim().eq_ignore_ascii_case("false"))
        });
        let evidence = Evidence::note(if off {
            "the feature gate is turned off on the command line"
        } else {
            "the feature gate is not turned off on the command line"
        })
        .in_file(f.file.clone())
        .at_line(f.line)
        .setting("--feature-gates", f.value.clone());
        if off {
            return Outcome::fail(vec![evidence]);
        }
    }
    let seen = facts.kubelet_setting("--feature-gates", &["featureGates", GATE], None, None);
    let off = seen.source == SettingSource::ConfigFile
        && seen
            .value
            .as_deref()
            .is_some_and(|v| v.eq_ignore_ascii_case("false"));
    let mut evidence = seen.evidence;
    if seen.source != SettingSource::ConfigFile {
        evidence.note = format!("{GATE} is not turned off (it is on by default)");
    }
    Outcome::of(!off, vec![evidence])
}

/// CIS 4.3.1: kube-proxy's metrics listen on localhost.
pub(crate) fn proxy_metrics(facts: &NodeFacts) -> Outcome {
    let Some(command) = facts.command(Component::Proxy) else {
        return Outcome::undecided(vec![Evidence::note(
            "kube-proxy does not run on this node: nothing to check",
        )]);
    };
    let local =
        |v: &str| v.starts_with("127.") || v.starts_with("[::1]") || v.starts_with("localhost");
    if let Some(f) = command.get("--metrics-bind-address") {
        let value = f.effective().to_owned();
        return Outcome::of(
            local(&value),
            vec![
                Evidence::note("set on kube-proxy's command line")
                    .in_file(f.file.clone())
                    .at_line(f.line)
                    .setting("--metrics-bind-address", Some(value)),
            ],
        );
    }
    if let Some(config) = command.get("--config").and_then(|f| f.value.clone())
        && let Some(text) = facts.root.read_opt(&config)
    {
        let (docs, _) = parse_documents(&text, Limits::default());
        if let Some(node) = docs
            .first()
            .and_then(|d| d.root.field("metricsBindAddress"))
            && let Some(value) = node.as_str()
        {
            return Outcome::of(
                local(value),
                vec![
                    Evidence::note("set in kube-proxy's configuration file")
                        .in_file(config)
                        .at_line(Some(node.pos.line))
                        .setting("metricsBindAddress", Some(value.to_owned())),
                ],
            );
        }
    }
    Outcome::pass(vec![
        Evidence::note("not set; kube-proxy's default is 127.0.0.1:10249")
            .setting("--metrics-bind-address", None),
    ])
}
