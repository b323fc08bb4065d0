//! Where alerts go for `watch` and `trace`: a line each on standard output
//! (text or Falco's JSON), the alert webhook, and counters for the summary,
//! the exit code and `/metrics`.

use std::fmt::Write as _;
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use kubeward_falco::{Alert, EngineOptions, Priority, RuleMatching};
use kubeward_runtime::alert_webhook::AlertWebhook;

use crate::cli::{AlertArgs, RuleMatchingArg, TextOrJson};
use crate::output;

#[derive(Debug)]
pub(crate) struct AlertOutput {
    format: TextOrJson,
    stdout: Mutex<std::io::Stdout>,
    webhook: Mutex<Option<AlertWebhook>>,
    webhook_stats: Option<std::sync::Arc<kubeward_runtime::alert_webhook::AlertWebhookStats>>,
    pub(crate) events: AtomicU64,
    alerts: AtomicU64,
    /// Index in `Priority::ALL` of the most severe alert seen (8 = none).
    worst: AtomicUsize,
    fail_on: Option<Priority>,
    quiet: bool,
}

/// Engine options from the command line.
pub(crate) fn engine_options(args: &AlertArgs) -> EngineOptions {
    EngineOptions {
        rule_matching: match args.rule_matching {
            RuleMatchingArg::First => RuleMatching::First,
            RuleMatchingArg::All => RuleMatching::All,
        },
        min_priority: args.min_priority.unwrap_or(Priority::Debug),
        hostname: kubeward_runtime::host_name(),
    }
}

impl AlertOutput {
    pub(crate) fn new(args: &AlertArgs) -> Self {
        let webhook = args
            .alert_webhook
            .clone()
            .map(|url| AlertWebhook::start(url, args.alert_queue));
        Self {
            format: args.format,
            stdout: Mutex::new(std::io::stdout()),
            webhook_stats: webhook.as_ref().map(AlertWebhook::stats),
            webhook: Mutex::new(webhook),
            events: AtomicU64::new(0),
            alerts: AtomicU64::new(0),
            worst: AtomicUsize::new(Priority::ALL.len()),
            fail_on: args.fail_on,
            quiet: args.quiet,
        }
    }

    pub(crate) fn emit(&self, alert: &Alert) {
        self.alerts.fetch_add(1, Ordering::Relaxed);
        let rank = Priority::ALL
            .iter()
            .position(|p| *p == alert.priority)
            .unwrap_or(Priority::ALL.len());
        self.worst.fetch_min(rank, Ordering::Relaxed);
        let line = match self.format {
            TextOrJson::Text => alert.text_line(),
            TextOrJson::Json => alert.json_line(),
        };
        if let Ok(mut out) = self.stdout.lock() {
            // A closed standard output must not stop detection.
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        }
        if let Ok(webhook) = self.webhook.lock()
            && let Some(webhook) = webhook.as_ref()
        {
            webhook.send(alert);
        }
    }

    /// Prometheus text exposition of the counters.
    pub(crate) fn metrics(&self) -> String {
        let mut out = String::new();
        let mut counter = |name: &str, help: &str, value: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
            );
        };
        counter(
            "kubeward_runtime_events_total",
            "Events evaluated.",
            self.events.load(Ordering::Relaxed),
        );
        counter(
            "kubeward_runtime_alerts_total",
            "Alerts raised.",
            self.alerts.load(Ordering::Relaxed),
        );
        if let Some(stats) = &self.webhook_stats {
            counter(
                "kubeward_alert_webhook_sent_total",
                "Alerts delivered to the alert webhook.",
                stats.sent.load(Ordering::Relaxed),
            );
            counter(
                "kubeward_alert_webhook_retries_total",
                "Retried alert webhook deliveries.",
                stats.retries.load(Ordering::Relaxed),
            );
            counter(
                "kubeward_alert_webhook_failed_total",
                "Alerts given up after every retry.",
                stats.failed.load(Ordering::Relaxed),
            );
            counter(
                "kubeward_alert_webhook_dropped_total",
                "Alerts dropped because the queue was full.",
                stats.dropped.load(Ordering::Relaxed),
            );
        }
        out
    }

    /// Drains the alert webhook, tells the summary, and gives the exit code
    /// for alerts (0, or 1 when one reached `--fail-on`).
    pub(crate) fn finish(&self) -> u8 {
        if let Some(webhook) = self.webhook.lock().ok().and_then(|mut w| w.take()) {
            webhook.finish(Duration::from_secs(30));
        }
        if !self.quiet {
            let mut summary = format!(
                "{} events, {} alerts",
                self.events.load(Ordering::Relaxed),
                self.alerts.load(Ordering::Relaxed)
            );
            if let Some(stats) = &self.webhook_stats {
                let _ = write!(
                    summary,
                    "; alert webhook: {} sent, {} failed, {} dropped",
                    stats.sent.load(Ordering::Relaxed),
                    stats.failed.load(Ordering::Relaxed),
                    stats.dropped.load(Ordering::Relaxed)
                );
            }
            output::notice(&summary);
        }
        let worst = self.worst.load(Ordering::Relaxed);
        match (self.fail_on, Priority::ALL.get(worst)) {
            (Some(threshold), Some(seen)) if *seen <= threshold => 1,
            _ => 0,
        }
    }
}
