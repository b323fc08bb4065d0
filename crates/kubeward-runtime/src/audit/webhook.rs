//! The audit webhook: the HTTPS endpoint an API server started with
//! `--audit-webhook-config-file` posts `EventList` batches to (as Falco's
//! k8saudit plugin serves). TLS unless plain HTTP is asked for by name;
//! request bodies are bounded in size and in the time they take to arrive,
//! connections and requests in flight in number (`kubeward_httpd`);
//! `/healthz` and `/metrics` answer GETs.

use std::convert::Infallible;
use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use kubeward_falco::event::{AuditEvent, parse_audit_payload};

/// Default largest request body (an EventList batch).
pub const DEFAULT_MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Time allowed for a request's body to arrive.
const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// What the server does with events and where its metrics come from.
pub struct Handlers {
    pub on_event: Box<dyn Fn(AuditEvent) + Send + Sync>,
    pub metrics: Box<dyn Fn() -> String + Send + Sync>,
}

impl std::fmt::Debug for Handlers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Handlers")
    }
}

/// Counters of the webhook.
#[derive(Debug, Default)]
pub struct WebhookStats {
    pub requests: AtomicU64,
    pub events: AtomicU64,
    pub rejected_events: AtomicU64,
    pub bad_requests: AtomicU64,
    /// Batches answered 503 because the most allowed were being handled.
    pub refused_requests: AtomicU64,
}

#[derive(Debug)]
pub struct WebhookServer {
    pub max_body_bytes: usize,
    /// `None` serves plain HTTP.
    pub tls: Option<Arc<ServerConfig>>,
    pub handlers: Handlers,
    pub stats: Arc<WebhookStats>,
}

/// A TLS configuration from PEM certificate chain and key files (ring
/// provider, TLS 1.2 and 1.3, HTTP/2 and HTTP/1.1 offered).
pub fn tls_config(cert: &Path, key: &Path) -> Result<ServerConfig, String> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<_, _>>())
        .map_err(|e| format!("{}: {e}", cert.display()))?;
    if chain.is_empty() {
        return Err(format!("{}: no certificate in the file", cert.display()));
    }
    let private =
        PrivateKeyDer::from_pem_file(key).map_err(|e| format!("{}: {e}", key.display()))?;
    let mut config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_no_client_auth()
            .with_single_cert(chain, private)
            .map_err(|e| format!("{}: {e}", key.display()))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

fn reply(status: StatusCode, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    kubeward_httpd::respond(status, "text/plain; charset=utf-8", body)
}

impl WebhookServer {
    async fn handle(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        match (request.method(), request.uri().path()) {
            (&Method::GET, "/healthz") => return reply(StatusCode::OK, "ok\n"),
            (&Method::GET, "/metrics") => return reply(StatusCode::OK, (self.handlers.metrics)()),
            (&Method::POST, _) => {}
            _ => return reply(StatusCode::METHOD_NOT_ALLOWED, "POST audit events here\n"),
        }
        let declared = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > self.max_body_bytes) {
            self.stats.bad_requests.fetch_add(1, Ordering::Relaxed);
            return reply(StatusCode::PAYLOAD_TOO_LARGE, "body too large\n");
        }
        let limited = Limited::new(request.into_body(), self.max_body_bytes);
        let body = match tokio::time::timeout(BODY_TIMEOUT, limited.collect()).await {
            Ok(Ok(b)) => b.to_bytes(),
            Err(_) => {
                self.stats.bad_requests.fetch_add(1, Ordering::Relaxed);
                return reply(
                    StatusCode::REQUEST_TIMEOUT,
                    format!("body not received within {BODY_TIMEOUT:?}\n"),
                );
            }
            Ok(Err(_)) => {
                self.stats.bad_requests.fetch_add(1, Ordering::Relaxed);
                return reply(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body too large or interrupted\n",
                );
            }
        };
        let events = match parse_audit_payload(&body) {
            Ok(events) => events,
            Err(e) => {
                self.stats.bad_requests.fetch_add(1, Ordering::Relaxed);
                return reply(StatusCode::BAD_REQUEST, format!("{e}\n"));
            }
        };
        let mut rejected = 0;
        for event in events {
            match event {
                Ok(event) => {
                    self.stats.events.fetch_add(1, Ordering::Relaxed);
                    (self.handlers.on_event)(event);
                }
                Err(_) => rejected += 1,
            }
        }
        self.stats
            .rejected_events
            .fetch_add(rejected, Ordering::Relaxed);
        reply(StatusCode::OK, format!("{{\"rejected\":{rejected}}}\n"))
    }

    /// Serves until `shutdown` completes, then lets in-flight requests
    /// finish (up to the grace period).
    pub async fn serve(
        self: Arc<Self>,
        listener: TcpListener,
        shutdown: impl Future<Output = ()>,
    ) -> std::io::Result<()> {
        let acceptor = self.tls.clone().map(TlsAcceptor::from);
        let stats = self.stats.clone();
        let handler = move |request| {
            let server = self.clone();
            async move { Ok::<_, Infallible>(server.handle(request).await) }
        };
        kubeward_httpd::serve(
            listener,
            acceptor,
            kubeward_httpd::Limits::default(),
            handler,
            move || {
                stats.refused_requests.fetch_add(1, Ordering::Relaxed);
            },
            shutdown,
        )
        .await
    }
}
