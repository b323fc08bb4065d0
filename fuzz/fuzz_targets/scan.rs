//! Every rule and Pod Security check on whatever objects arbitrary text holds.
#![no_main]

use kubeward_core::load::{LoadOptions, load_text};
use kubeward_workload::pod::Pod;
use kubeward_workload::pss::{self, Version};
use kubeward_workload::rules::{RuleSet, Settings};
use kubeward_workload::scan::Scanner;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let loaded = load_text("fuzz.yaml".into(), text, &LoadOptions::default());
    let scanner = Scanner::new(RuleSet::all(), Settings { allowed_registries: vec!["example.com".into()] });
    let _ = scanner.check_objects(&loaded.objects);
    for object in &loaded.objects {
        if let Some(pod) = Pod::of(object) {
            let _ = pss::assess(&pod, Version::Latest);
            let _ = pss::assess(&pod, Version::V1(0));
        }
    }
});
