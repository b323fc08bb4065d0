//! The admission endpoints over HTTPS: routing, bounded bodies and time
//! limits, on the serving loop `kubeward_httpd` provides (TLS 1.2/1.3 with a
//! reloading certificate, HTTP/1.1 and HTTP/2, bounded connections and
//! requests in flight, graceful shutdown).
//!
//! Limits: a body larger than the limit is refused with 413 (at once when
//! `Content-Length` says so); a body that does not arrive within the request
//! timeout gets 408.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use kubeward_core::config::{ImagesConfig, RulesConfig, Threshold};
pub use kubeward_httpd::Body;
use kubeward_httpd::{respond, text};
use kubeward_workload::pod::Pod;
use serde::Serialize;

use crate::config::{MutateConfig, ServeConfig};
use crate::imagepolicy::ImagePolicy;
use crate::metrics::Metrics;
use crate::mutate;
use crate::namespaces::{NamespacePolicy, Namespaces};
use crate::review::{self, AdmissionResponse, ReviewResponse};
use crate::tls::ReloadingCert;
use crate::validate::{self, Outcome, Validator};
use kubeward_workload::rules::{RuleSet, Settings};
use kubeward_workload::scan::Scanner;

/// Time and size limits.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_body_bytes: usize,
    /// From the request's headers to the whole body read.
    pub request_timeout: Duration,
    /// Connections, handshakes, turns and shutdown.
    pub connections: kubeward_httpd::Limits,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 3 * 1024 * 1024,
            request_timeout: Duration::from_secs(10),
            connections: kubeward_httpd::Limits::default(),
        }
    }
}

/// What the handlers share.
#[derive(Debug)]
pub struct App {
    pub validator: Validator,
    pub mutate: MutateConfig,
    pub images: ImagePolicy,
    pub metrics: Metrics,
    pub limits: Limits,
    /// False once shutdown starts, so that `/readyz` turns traffic away.
    pub ready: AtomicBool,
}

impl App {
    /// The endpoints `[serve]` describes, enforcing `[rules]` with the
    /// `[images]` registries. Namespaces are known only by the defaults, and
    /// there is no verdict store: both read files, which the caller adds
    /// (`Namespaces::load`, `images.verdicts`).
    pub fn from_config(
        serve: &ServeConfig,
        rules: &RulesConfig,
        images: &ImagesConfig,
    ) -> Result<Self, String> {
        let rules = RuleSet::from_config(rules).map_err(|e| e.to_string())?;
        let settings = Settings {
            allowed_registries: images.allowed_registries.clone(),
        };
        let defaults = NamespacePolicy::from_defaults(&serve.defaults);
        if serve.learn_namespaces && serve.client_ca.is_none() {
            return Err("[serve] learn-namespaces needs client-ca (or --client-ca): Namespace reviews may change policy only when every client must present a certificate".to_owned());
        }
        if serve.max_connections == 0 || serve.max_in_flight == 0 {
            return Err("[serve] max-connections and max-in-flight must be at least 1".to_owned());
        }
        Ok(App {
            validator: Validator {
                scanner: Scanner::new(rules, settings),
                deny_on: match serve.deny_on {
                    Threshold::At(severity) => Some(severity),
                    Threshold::Never => None,
                },
                exemptions: serve.exemptions.clone(),
                namespaces: Namespaces::new(defaults),
                learn_namespaces: serve.learn_namespaces,
                honour_ignore: serve.honour_ignore_annotations.clone(),
            },
            mutate: serve.mutate.clone(),
            images: ImagePolicy {
                allowed_registries: images.allowed_registries.clone(),
                config: serve.image_policy.clone(),
                verdicts: None,
            },
            metrics: Metrics::new(),
            limits: Limits {
                max_body_bytes: serve.max_body_bytes,
                request_timeout: Duration::from_millis(serve.request_timeout_ms),
                connections: kubeward_httpd::Limits {
                    // A request waits for its turn as long as for its body.
                    turn_timeout: Duration::from_millis(serve.request_timeout_ms),
                    max_connections: serve.max_connections,
                    max_in_flight: serve.max_in_flight,
                    ..kubeward_httpd::Limits::default()
                },
            },
            ready: AtomicBool::new(true),
        })
    }
}

fn json(value: &impl Serialize) -> Response<Body> {
    match serde_json::to_vec(value) {
        Ok(bytes) => respond(StatusCode::OK, "application/json", bytes),
        Err(e) => text(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("cannot encode response: {e}"),
        ),
    }
}

/// Reads a request body within the size and time limits, or says why not.
async fn read_body(request: Request<Incoming>, limits: &Limits) -> Result<Bytes, Response<Body>> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_large = || {
        text(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("request body larger than {} bytes", limits.max_body_bytes),
        )
    };
    if declared.is_some_and(|n| n > limits.max_body_bytes as u64) {
        return Err(too_large());
    }
    let limited = Limited::new(request.into_body(), limits.max_body_bytes);
    match tokio::time::timeout(limits.request_timeout, limited.collect()).await {
        Err(_) => Err(text(
            StatusCode::REQUEST_TIMEOUT,
            &format!(
                "request body not received within {:?}",
                limits.request_timeout
            ),
        )),
        Ok(Err(e))
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            Err(too_large())
        }
        Ok(Err(e)) => Err(text(
            StatusCode::BAD_REQUEST,
            &format!("cannot read request body: {e}"),
        )),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

/// Routes one request; never fails (errors are HTTP answers). The handler
/// `kubeward serve` gives `kubeward_httpd::serve`.
pub async fn handle(
    app: Arc<App>,
    request: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let start = Instant::now();
    let endpoint: &'static str = match request.uri().path() {
        "/validate" => "validate",
        "/mutate" => "mutate",
        "/imagepolicy" => "imagepolicy",
        "/healthz" => "healthz",
        "/readyz" => "readyz",
        "/metrics" => "metrics",
        _ => "unknown",
    };
    let post = request.method() == Method::POST;
    let get = request.method() == Method::GET;
    let response = match (endpoint, post, get) {
        ("validate" | "mutate" | "imagepolicy", true, _) => {
            match read_body(request, &app.limits).await {
                Ok(body) => review_endpoint(&app, endpoint, &body),
                Err(response) => response,
            }
        }
        ("healthz", _, true) => text(StatusCode::OK, "ok"),
        ("readyz", _, true) if app.ready.load(Ordering::Relaxed) => text(StatusCode::OK, "ok"),
        ("readyz", _, true) => text(StatusCode::SERVICE_UNAVAILABLE, "shutting down"),
        ("metrics", _, true) => respond(
            StatusCode::OK,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
            app.metrics.render(),
        ),
        ("unknown", _, _) => text(StatusCode::NOT_FOUND, "no such endpoint"),
        _ => text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed"),
    };
    app.metrics
        .request(endpoint, response.status().as_u16(), start.elapsed());
    Ok(response)
}

/// Answers a review body sent to `endpoint` (`validate`, `mutate` or
/// `imagepolicy`): all of those endpoints' work but the transport. The server
/// calls it with a body read within the limits; the property tests and the
/// `admission` fuzz target call it with arbitrary ones.
pub fn review_endpoint(app: &App, endpoint: &'static str, body: &[u8]) -> Response<Body> {
    match endpoint {
        "imagepolicy" => match app.images.review(body) {
            Ok(answer) => {
                app.metrics.verdict(
                    endpoint,
                    if answer.status.allowed {
                        "allowed"
                    } else {
                        "denied"
                    },
                );
                json(&answer)
            }
            Err(e) => text(StatusCode::BAD_REQUEST, &e.to_string()),
        },
        _ => match review::parse(body) {
            Ok(request) => {
                let uid = request.uid.clone().unwrap_or_default();
                tracing::debug!(
                    uid,
                    kind = request.kind.kind,
                    namespace = request.namespace.as_deref().unwrap_or(""),
                    operation = request.operation.as_deref().unwrap_or(""),
                    endpoint,
                    "review"
                );
                let (response, outcome) = if endpoint == "mutate" {
                    mutate_review(app, request)
                } else {
                    let verdict = app.validator.validate(request);
                    for rule in &verdict.fired {
                        app.metrics.fired(rule);
                    }
                    (verdict.response, verdict.outcome)
                };
                app.metrics.verdict(endpoint, outcome.as_str());
                json(&ReviewResponse::new(response))
            }
            Err(e) => text(StatusCode::BAD_REQUEST, &e.to_string()),
        },
    }
}

fn mutate_review(app: &App, mut request: review::AdmissionRequest) -> (AdmissionResponse, Outcome) {
    let mut response = AdmissionResponse {
        uid: request.uid.clone().unwrap_or_default(),
        allowed: true,
        ..AdmissionResponse::default()
    };
    let creating = request.operation.as_deref() == Some("CREATE");
    let object = request
        .object
        .take()
        .filter(|_| creating)
        .and_then(|node| validate::request_object(&request, node));
    let Some(pod) = object.as_ref().and_then(Pod::of) else {
        return (response, Outcome::Skipped);
    };
    // Exempt requests are left as they are, as `/validate` leaves them.
    let namespace = pod.object.meta.namespace.as_deref().unwrap_or_default();
    if let Some(why) = app.validator.exemption(&request, namespace, Some(&pod)) {
        response
            .audit_annotations
            .insert(validate::EXEMPT_KEY.to_owned(), why.to_owned());
        return (response, Outcome::Exempt);
    }
    let ops = mutate::patch(&pod, &app.mutate);
    if ops.is_empty() {
        return (response, Outcome::Skipped);
    }
    use base64::Engine as _;
    match serde_json::to_vec(&ops) {
        Ok(patch) => {
            response.patch = Some(base64::engine::general_purpose::STANDARD.encode(patch));
            response.patch_type = Some("JSONPatch");
            (response, Outcome::Allowed)
        }
        Err(_) => (response, Outcome::Skipped),
    }
}

/// The ceilings the admission endpoints are measured against, on this same
/// stack. Every path reads the body within the limits; then
/// - `/json` checks that it is JSON (the floor of any JSON webhook),
/// - `/decode` decodes the review into the scanner's tree and allows it
///   (everything `/validate` does but the rules),
/// - any other path answers `200 ok` (the trivial endpoint).
pub async fn ceilings(
    limits: Limits,
    request: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let path: &'static str = match request.uri().path() {
        "/json" => "/json",
        "/decode" => "/decode",
        _ => "/trivial",
    };
    let body = match read_body(request, &limits).await {
        Ok(body) => body,
        Err(response) => return Ok(response),
    };
    Ok(match path {
        "/json" => match serde_json::from_slice::<serde::de::IgnoredAny>(&body) {
            Ok(_) => text(StatusCode::OK, "ok"),
            Err(e) => text(StatusCode::BAD_REQUEST, &e.to_string()),
        },
        "/decode" => match review::parse(&body) {
            Ok(request) => json(&ReviewResponse::new(AdmissionResponse {
                uid: request.uid.unwrap_or_default(),
                allowed: true,
                ..AdmissionResponse::default()
            })),
            Err(e) => text(StatusCode::BAD_REQUEST, &e.to_string()),
        },
        _ => text(StatusCode::OK, "ok"),
    })
}

/// Re-reads the certificate files every `every`, until the process ends.
pub async fn watch_certificate(cert: Arc<ReloadingCert>, app: Arc<App>, every: Duration) {
    let mut ticker = tokio::time::interval(every.max(Duration::from_millis(100)));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        match cert.reload_if_changed() {
            Ok(true) => {
                app.metrics.tls_reloaded();
                tracing::info!("serving certificate reloaded");
            }
            Ok(false) => {}
            Err(e) => tracing::error!("keeping the old certificate: {e}"),
        }
    }
}
