//! Arbitrary bodies sent to `/validate`, `/mutate` and `/imagepolicy`, with
//! Pod Security enforced at restricted so that every check runs: an answer,
//! never a panic.
#![no_main]

use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

use kubeward_admission::imagepolicy::ImagePolicy;
use kubeward_admission::metrics::Metrics;
use kubeward_admission::namespaces::{NamespacePolicy, Namespaces};
use kubeward_admission::server::{App, Limits, review_endpoint};
use kubeward_admission::validate::Validator;
use kubeward_core::config::{Config, PssDefaults};
use kubeward_workload::rules::{RuleSet, Settings};
use kubeward_workload::scan::Scanner;
use libfuzzer_sys::fuzz_target;

fn app() -> &'static App {
    static APP: OnceLock<App> = OnceLock::new();
    APP.get_or_init(|| {
        let config = Config::default();
        let restricted = PssDefaults {
            enforce: "restricted".into(),
            ..config.serve.defaults.clone()
        };
        App {
            validator: Validator {
                scanner: Scanner::new(RuleSet::all(), Settings::default()),
                deny_on: None,
                exemptions: config.serve.exemptions.clone(),
                namespaces: Namespaces::new(
                    NamespacePolicy::from_defaults(&restricted).expect("defaults"),
                ),
            },
            mutate: config.serve.mutate.clone(),
            images: ImagePolicy {
                allowed_registries: Vec::new(),
                config: config.serve.image_policy.clone(),
                verdicts: None,
            },
            metrics: Metrics::new(),
            limits: Limits::default(),
            ready: AtomicBool::new(true),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    for endpoint in ["validate", "mutate", "imagepolicy"] {
        let response = review_endpoint(app(), endpoint, data);
        assert!(matches!(response.status().as_u16(), 200 | 400));
    }
});
