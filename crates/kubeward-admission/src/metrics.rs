//! Prometheus metrics of the admission server, in the text exposition format
//! at `GET /metrics`.

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// Label sets of static strings and numbers: no allocation per request.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EndpointCode {
    endpoint: &'static str,
    code: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EndpointOutcome {
    endpoint: &'static str,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Endpoint {
    endpoint: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Rule {
    rule: &'static str,
}

#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<EndpointCode, Counter>,
    verdicts: Family<EndpointOutcome, Counter>,
    latency: Family<Endpoint, Histogram>,
    rules: Family<Rule, Counter>,
    tls_reloads: Counter,
    refused: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("kubeward_admission");
        let requests = Family::<EndpointCode, Counter>::default();
        let verdicts = Family::<EndpointOutcome, Counter>::default();
        // 50 µs to ~1.6 s, doubling: admission latencies live at the low end.
        let latency = Family::<Endpoint, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.000_05, 2.0, 16))
        });
        let rules = Family::<Rule, Counter>::default();
        let tls_reloads = Counter::default();
        let refused = Counter::default();
        registry.register(
            "requests",
            "HTTP requests by endpoint and status code",
            requests.clone(),
        );
        registry.register(
            "verdicts",
            "Admission verdicts by endpoint and outcome",
            verdicts.clone(),
        );
        registry.register(
            "request_duration_seconds",
            "Time from a request's headers to its response, by endpoint",
            latency.clone(),
        );
        registry.register(
            "rule_fired",
            "Rules and Pod Security checks that fired, by id",
            rules.clone(),
        );
        registry.register(
            "tls_reloads",
            "Times the serving certificate was re-read from disk",
            tls_reloads.clone(),
        );
        registry.register(
            "requests_refused",
            "Requests with a body answered 503 because max-in-flight requests were being served",
            refused.clone(),
        );
        Self {
            registry,
            requests,
            verdicts,
            latency,
            rules,
            tls_reloads,
            refused,
        }
    }

    pub fn request(&self, endpoint: &'static str, code: u16, elapsed: Duration) {
        self.requests
            .get_or_create(&EndpointCode { endpoint, code })
            .inc();
        self.latency
            .get_or_create(&Endpoint { endpoint })
            .observe(elapsed.as_secs_f64());
    }

    pub fn verdict(&self, endpoint: &'static str, outcome: &'static str) {
        self.verdicts
            .get_or_create(&EndpointOutcome { endpoint, outcome })
            .inc();
    }

    pub fn fired(&self, rule: &'static str) {
        self.rules.get_or_create(&Rule { rule }).inc();
    }

    pub fn tls_reloaded(&self) {
        self.tls_reloads.inc();
    }

    pub fn refused(&self) {
        self.refused.inc();
    }

    /// The text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}
