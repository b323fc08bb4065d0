//! Throughput of the scanner on the generated 2,000-manifest corpus:
//! parsing alone, parsing plus every rule, and the Pod Security assessment.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kubeward_core::load::{LoadOptions, load_text};
use kubeward_workload::pod::Pod;
use kubeward_workload::pss::{self, Version};
use kubeward_workload::rules::{RuleSet, Settings};
use kubeward_workload::scan::Scanner;

fn bench(c: &mut Criterion) {
    let corpus = xtask::corpus(2000, 42);
    let bytes: usize = corpus.iter().map(|(_, text)| text.len()).sum();
    let options = LoadOptions::default();
    let scanner = Scanner::new(
        RuleSet::all(),
        Settings {
            allowed_registries: vec!["ghcr.io/acme".into(), "registry.k8s.io".into()],
        },
    );

    let mut group = c.benchmark_group("corpus-2000");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("parse", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|(name, text)| {
                    load_text(name.as_str().into(), text, &options)
                        .objects
                        .len()
                })
                .sum::<usize>()
        });
    });
    group.bench_function("parse+rules (one thread)", |b| {
        b.iter(|| {
            let objects: Vec<_> = corpus
                .iter()
                .flat_map(|(name, text)| load_text(name.as_str().into(), text, &options).objects)
                .collect();
            scanner.check_objects(&objects).len()
        });
    });
    let objects: Vec<_> = corpus
        .iter()
        .flat_map(|(name, text)| load_text(name.as_str().into(), text, &options).objects)
        .collect();
    group.bench_function("pss assess (parsed)", |b| {
        b.iter(|| {
            objects
                .iter()
                .filter_map(Pod::of)
                .map(|pod| pss::assess(&pod, Version::Latest).violations.len())
                .sum::<usize>()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
