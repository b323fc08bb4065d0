//! Sends alerts to an HTTP(S) endpoint as JSON, one POST per alert, from a
//! worker thread: a bounded queue in front of it, retries with exponential
//! back-off, and drops counted when the queue is full, so that event intake
//! never waits for the network.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use kubeward_falco::alert::Alert;

/// Attempts per alert (the first and its retries).
pub const ATTEMPTS: u32 = 5;
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

#[derive(Debug, Default)]
pub struct AlertWebhookStats {
    pub sent: AtomicU64,
    pub retries: AtomicU64,
    pub failed: AtomicU64,
    /// Alerts not queued because the queue was full.
    pub dropped: AtomicU64,
}

#[derive(Debug)]
pub struct AlertWebhook {
    queue: Option<SyncSender<String>>,
    worker: Option<JoinHandle<()>>,
    stats: Arc<AlertWebhookStats>,
}

impl AlertWebhook {
    /// Starts the worker that posts to `url`, with room for `capacity` alerts.
    pub fn start(url: String, capacity: usize) -> Self {
        let (tx, rx) = mpsc::sync_channel::<String>(capacity.max(1));
        let stats = Arc::new(AlertWebhookStats::default());
        let worker_stats = stats.clone();
        let worker = std::thread::Builder::new()
            .name("alert-webhook".to_owned())
            .spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .timeout_global(Some(Duration::from_secs(10)))
                    .http_status_as_error(false)
                    .build()
                    .into();
                for body in rx {
                    post_with_retries(&agent, &url, &body, &worker_stats);
                }
            })
            .ok();
        Self {
            queue: Some(tx),
            worker,
            stats,
        }
    }

    /// Queues an alert; never blocks (a full queue drops it and counts it).
    pub fn send(&self, alert: &Alert) {
        let Some(queue) = &self.queue else { return };
        match queue.try_send(alert.json_line()) {
            Ok(()) => {}
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.stats.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    pub fn stats(&self) -> Arc<AlertWebhookStats> {
        self.stats.clone()
    }

    /// Stops taking alerts and waits up to `wait` for the queue to drain.
    pub fn finish(mut self, wait: Duration) {
        self.queue = None;
        let deadline = Instant::now() + wait;
        if let Some(worker) = self.worker.take() {
            while !worker.is_finished() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            if worker.is_finished() {
                let _ = worker.join();
            }
        }
    }
}

fn post_with_retries(agent: &ureq::Agent, url: &str, body: &str, stats: &AlertWebhookStats) {
    let mut backoff = FIRST_BACKOFF;
    for attempt in 1..=ATTEMPTS {
        let result = agent
            .post(url)
            .header("Content-Type", "application/json")
            .send(body);
        let retry = match result {
            Ok(response) if response.status().is_success() => {
                stats.sent.fetch_add(1, Ordering::Relaxed);
                return;
            }
            // A client error other than rate limiting will not improve.
            Ok(response) => {
                response.status().is_server_error() || response.status().as_u16() == 429
            }
            Err(_) => true,
        };
        if !retry || attempt == ATTEMPTS {
            break;
        }
        stats.retries.fetch_add(1, Ordering::Relaxed);
        std::thread::sleep(backoff);
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
    stats.failed.fetch_add(1, Ordering::Relaxed);
}
