//! Load generator for `kubeward serve`: keep-alive HTTPS connections on
//! loopback, each sending one request after another for a fixed time, with
//! every latency recorded.
//!
//! ```sh
//! cargo run --release -p kubeward-admission --example loadgen -- \
//!     --addr 127.0.0.1:18443 --ca ca.crt --connections 16 --seconds 10 \
//!     --path /validate --body crates/kubeward-admission/testdata/review-deployment.json
//! ```
//! Prints one JSON line: requests, errors, throughput and p50/p99/p99.9.
//!
//! With `--serve-trivial ADDR --cert FILE --key FILE` it instead serves, on
//! the admission server's own stack (`kubeward_net::serve`),
//! the ceilings to compare the admission endpoints with
//! (`kubeward_admission::server::ceilings`): `/trivial` reads the body and
//! answers `200 ok`, `/json` also checks the body is JSON, `/decode` also
//! decodes the review into the scanner's tree.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use kubeward_admission::client::Connection;
use kubeward_net::tls::client_config;

/// The `kubeward` binary's allocator, so that the ceilings' `/decode` builds
/// and frees the tree as `/validate` does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Args {
    addr: SocketAddr,
    ca: PathBuf,
    connections: usize,
    seconds: u64,
    path: String,
    body: Option<Bytes>,
}

fn args() -> Result<Args, String> {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        raw.iter()
            .position(|a| a == flag)
            .and_then(|i| raw.get(i + 1))
            .cloned()
    };
    let need = |flag: &str| value(flag).ok_or_else(|| format!("{flag} is required"));
    let body = match value("--body") {
        Some(path) => Some(Bytes::from(
            std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?,
        )),
        None => None,
    };
    Ok(Args {
        addr: need("--addr")?
            .parse()
            .map_err(|e| format!("--addr: {e}"))?,
        ca: PathBuf::from(need("--ca")?),
        connections: value("--connections")
            .and_then(|v| v.parse().ok())
            .unwrap_or(16),
        seconds: value("--seconds")
            .and_then(|v| v.parse().ok())
            .unwrap_or(10),
        path: value("--path").unwrap_or_else(|| "/healthz".to_owned()),
        body,
    })
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

#[tokio::main]
async fn main() {
    let raw: Vec<String> = std::env::args().collect();
    if let Some(i) = raw.iter().position(|a| a == "--serve-trivial") {
        serve_trivial(&raw, i).await;
        return;
    }
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("loadgen: {e}");
            std::process::exit(2);
        }
    };
    let tls =
        Arc::new(client_config(&args.ca, None, rustls::ALL_VERSIONS).expect("CA certificate"));
    let method = if args.body.is_some() { "POST" } else { "GET" };
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let mut tasks = Vec::new();
    for _ in 0..args.connections {
        let (tls, path, body, addr) =
            (tls.clone(), args.path.clone(), args.body.clone(), args.addr);
        tasks.push(tokio::spawn(async move {
            let mut latencies_us: Vec<u64> = Vec::new();
            let mut errors = 0u64;
            let mut conn = Connection::open(addr, "localhost", tls.clone())
                .await
                .expect("connect");
            while Instant::now() < deadline {
                let start = Instant::now();
                match conn.send(method, &path, body.clone()).await {
                    Ok(r) if r.status() == 200 => {
                        latencies_us.push(start.elapsed().as_micros() as u64)
                    }
                    _ => {
                        errors += 1;
                        conn = Connection::open(addr, "localhost", tls.clone())
                            .await
                            .expect("reconnect");
                    }
                }
            }
            (latencies_us, errors)
        }));
    }
    let started = Instant::now();
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.expect("task");
        all.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64().max(args.seconds as f64);
    all.sort_unstable();
    println!(
        "{{\"path\": \"{}\", \"connections\": {}, \"requests\": {}, \"errors\": {}, \"rps\": {:.0}, \"p50_ms\": {:.3}, \"p99_ms\": {:.3}, \"p999_ms\": {:.3}}}",
        args.path,
        args.connections,
        all.len(),
        errors,
        all.len() as f64 / elapsed,
        percentile(&all, 50.0),
        percentile(&all, 99.0),
        percentile(&all, 99.9)
    );
}

async fn serve_trivial(raw: &[String], at: usize) {
    use kubeward_admission::server::{Limits, ceilings};
    use kubeward_net::tls::ReloadingCert;
    let value = |flag: &str| {
        raw.iter()
            .position(|a| a == flag)
            .and_then(|i| raw.get(i + 1))
            .cloned()
    };
    let addr = raw.get(at + 1).expect("--serve-trivial ADDR");
    let cert = ReloadingCert::load(
        value("--cert").expect("--cert").as_ref(),
        value("--key").expect("--key").as_ref(),
    )
    .expect("certificate");
    let listener = tokio::net::TcpListener::bind(addr).await.expect("listen");
    eprintln!("trivial endpoint on https://{addr}");
    let limits = Limits::default();
    kubeward_net::serve(
        listener,
        Some(Arc::new(cert).acceptor(None)),
        limits.connections,
        move |request| ceilings(limits, request),
        || {},
        std::future::pending(),
    )
    .await
    .expect("serve");
}
