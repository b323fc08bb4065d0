//! Arbitrary bodies sent to `/validate`, `/mutate` and `/imagepolicy`, with
//! Pod Security enforced at restricted so that every check runs: an answer,
//! never a panic.
#![no_main]

use std::sync::OnceLock;

use kubeward_admission::server::{App, review_endpoint};
use kubeward_admission::config::ServeConfig;
use kubeward_core::config::Threshold;
use libfuzzer_sys::fuzz_target;

fn app() -> &'static App {
    static APP: OnceLock<App> = OnceLock::new();
    APP.get_or_init(|| {
        let mut serve = ServeConfig::default();
        serve.defaults.enforce = kubeward_workload::pss::Level::Restricted;
        serve.deny_on = Threshold::Never;
        App::from_config(&serve, &Default::default(), &Default::default())
            .expect("the defaults are valid")
    })
}

fuzz_target!(|data: &[u8]| {
    for endpoint in ["validate", "mutate", "imagepolicy"] {
        let response = review_endpoint(app(), endpoint, data);
        assert!(matches!(response.status().as_u16(), 200 | 400));
    }
});
