//! kubeward's network plumbing, used by every server and client: the
//! serving loop both servers share (`kubeward serve`, the audit webhook of
//! `kubeward watch`; this module: TLS handshakes within a timeout, HTTP/1.1
//! and HTTP/2 on one port, graceful shutdown), TLS ([`tls`]: PEM files read
//! in one bounded place, the serving certificate reloaded when it changes,
//! client-certificate verification, client settings), and the HTTP client
//! builder with percent-encoding ([`client`]: downloads, registries, etcd,
//! the alert webhook).
//!
//! It never decides what a request means: handlers, endpoints and what is
//! fetched belong to the crates that call it, and it depends on no other
//! kubeward crate. rustls always runs with the ring provider.
//!
//! Memory is bounded by counts as well as by sizes. At most
//! `max_connections` connections are served; further clients wait in the
//! kernel's listen backlog, costing nothing here. At most `max_in_flight`
//! requests with a body (POSTs) are read or answered at once; a further one
//! waits for its turn with its body unread, held back by TCP and HTTP/2 flow
//! control, and gets 503 if no turn comes within `turn_timeout`. GETs never
//! wait, so health probes answer under a flood.
#![forbid(unsafe_code)]

pub mod client;
pub mod tls;

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode, header};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;

/// Every response body is a single buffer.
pub type Body = Full<Bytes>;

/// The future a handler wrapped by [`in_turn`] returns.
type Answer = Pin<Box<dyn Future<Output = Result<Response<Body>, Infallible>> + Send>>;

/// Connection-level limits.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub handshake_timeout: Duration,
    /// For each request's headers, and so also for an idle HTTP/1.1 connection.
    pub header_timeout: Duration,
    /// How long a request with a body waits for its turn.
    pub turn_timeout: Duration,
    /// How long in-flight requests may take to finish on shutdown.
    pub shutdown_grace: Duration,
    pub max_connections: usize,
    /// Requests with a body read or answered at once.
    pub max_in_flight: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            handshake_timeout: Duration::from_secs(10),
            header_timeout: Duration::from_secs(10),
            turn_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(25),
            max_connections: 1024,
            max_in_flight: 32,
        }
    }
}

/// HTTP/2 flow-control window, per stream and per connection: smaller than
/// hyper's 1 MiB, to bound what a connection's waiting streams hold.
const H2_WINDOW: u32 = 256 * 1024;

pub fn respond(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<Bytes>,
) -> Response<Body> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(content_type),
    );
    response
}

/// A plain-text answer: `message` and a newline.
pub fn text(status: StatusCode, message: &str) -> Response<Body> {
    respond(status, "text/plain; charset=utf-8", format!("{message}\n"))
}

/// Serves `handler` until `shutdown` completes, over TLS when `tls` is given
/// (else plain HTTP); then stops accepting, lets in-flight requests finish
/// (up to the grace period), and returns. `refused` is called for each
/// request turned away with 503 for want of a turn (for the caller's metrics).
pub async fn serve<H, F, R>(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    limits: Limits,
    handler: H,
    refused: R,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()>
where
    H: Fn(Request<Incoming>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Result<Response<Body>, Infallible>> + Send + 'static,
    R: Fn() + Send + Sync + 'static,
{
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    // More streams than requests in flight would only queue.
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(u32::try_from(limits.max_in_flight).unwrap_or(u32::MAX))
        .initial_stream_window_size(H2_WINDOW)
        .initial_connection_window_size(H2_WINDOW);
    let builder = Arc::new(builder);
    let graceful = GracefulShutdown::new();
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    let turns = Arc::new(Turns {
        permits: Semaphore::new(limits.max_in_flight),
        wait: limits.turn_timeout,
        refused,
    });
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = connections.clone().acquire_owned() => slot,
            () = &mut shutdown => break,
        };
        // The semaphore is never closed.
        let Ok(slot) = slot else { break };
        if connections.available_permits() == 0 {
            tracing::warn!(
                limit = limits.max_connections,
                "connection limit reached: new clients wait until a connection closes"
            );
        }
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        tracing::warn!("accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let watcher = graceful.watcher();
                let tls = tls.clone();
                let builder = builder.clone();
                let service = in_turn(handler.clone(), turns.clone());
                tokio::spawn(async move {
                    match tls {
                        Some(acceptor) => {
                            match tokio::time::timeout(limits.handshake_timeout, acceptor.accept(stream)).await {
                                Ok(Ok(stream)) => connection(stream, peer, &builder, service, watcher).await,
                                Ok(Err(e)) => tracing::debug!(%peer, "TLS handshake failed: {e}"),
                                Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                            }
                        }
                        None => connection(stream, peer, &builder, service, watcher).await,
                    }
                    drop(slot);
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    tracing::info!("shutting down: finishing in-flight requests");
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.shutdown_grace) => tracing::warn!("grace period over; closing remaining connections"),
    }
    Ok(())
}

/// Requests with a body take turns: at most `permits` at once, each waiting
/// at most `wait` for its turn; `refused` is called for each that waits in vain.
struct Turns<R> {
    permits: Semaphore,
    wait: Duration,
    refused: R,
}

impl<R: Fn()> Turns<R> {
    /// `answer` once a turn comes, the turn held until it is ready; else 503.
    async fn take<F>(self: Arc<Self>, answer: F) -> Result<Response<Body>, Infallible>
    where
        F: Future<Output = Result<Response<Body>, Infallible>>,
    {
        match tokio::time::timeout(self.wait, self.permits.acquire()).await {
            Ok(Ok(_turn)) => answer.await,
            _ => {
                (self.refused)();
                Ok(text(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &format!(
                        "too many requests in flight; none finished within {:?}",
                        self.wait
                    ),
                ))
            }
        }
    }
}

/// `handler` with requests that carry a body (POST) served in turn. The
/// handler's future is made at once but not polled until the turn comes, so
/// a waiting request's body is not read.
fn in_turn<H, F, R>(
    handler: H,
    turns: Arc<Turns<R>>,
) -> impl Fn(Request<Incoming>) -> Answer + Send + Sync + 'static
where
    H: Fn(Request<Incoming>) -> F + Send + Sync + 'static,
    F: Future<Output = Result<Response<Body>, Infallible>> + Send + 'static,
    R: Fn() + Send + Sync + 'static,
{
    move |request| {
        let gated = request.method() == Method::POST;
        let answer = handler(request);
        if gated {
            Box::pin(turns.clone().take(answer))
        } else {
            Box::pin(answer)
        }
    }
}

async fn connection<S, H>(
    stream: S,
    peer: SocketAddr,
    builder: &auto::Builder<TokioExecutor>,
    handler: H,
    watcher: Watcher,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    H: Fn(Request<Incoming>) -> Answer + Send + Sync + 'static,
{
    let conn = builder.serve_connection(TokioIo::new(stream), service_fn(handler));
    if let Err(e) = watcher.watch(conn.into_owned()).await {
        tracing::debug!(%peer, "connection ended: {e}");
    }
}
