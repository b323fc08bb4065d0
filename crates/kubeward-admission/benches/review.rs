//! Cost of answering one ~4.6 KB Deployment AdmissionReview, without the
//! network: parsing the body, and parsing plus the whole verdict (all rules,
//! Pod Security at the default levels) plus encoding the response.
#![allow(clippy::unwrap_used)] // a benchmark: a failure should stop it

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kubeward_admission::config::{Exemptions, PssDefaults};
use kubeward_admission::namespaces::{NamespacePolicy, Namespaces};
use kubeward_admission::review::{self, ReviewResponse};
use kubeward_admission::validate::Validator;
use kubeward_core::Severity;
use kubeward_workload::rules::{RuleSet, Settings};
use kubeward_workload::scan::Scanner;

/// The allocator the `kubeward` binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench(c: &mut Criterion) {
    let body = include_bytes!("../testdata/review-deployment.json");
    let validator = Validator {
        scanner: Scanner::new(RuleSet::all(), Settings::default()),
        deny_on: Some(Severity::High),
        exemptions: Exemptions::default(),
        namespaces: Namespaces::new(NamespacePolicy::from_defaults(&PssDefaults::default())),
        learn_namespaces: false,
        honour_ignore: Vec::new(),
    };
    let mut group = c.benchmark_group("admission-review-deployment");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("parse", |b| b.iter(|| review::parse(body).unwrap()));
    group.bench_function("parse+validate+encode", |b| {
        b.iter(|| {
            let verdict = validator.validate(review::parse(body).unwrap());
            serde_json::to_vec(&ReviewResponse::new(verdict.response)).unwrap()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
