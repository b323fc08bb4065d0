//! Generates an OSV export of N advisories (default 100,000) across the
//! ecosystems kubeward reads, as one `all.zip`, for the import benchmark.
//!
//! `cargo run --release -p kubeward-vulndb --example osv-gen -- OUT.zip [N]`
#![allow(clippy::print_stderr)]

use std::io::Write;

const ECOSYSTEMS: [(&str, &str); 8] = [
    ("Debian:12", "ECOSYSTEM"),
    ("Alpine:v3.19", "ECOSYSTEM"),
    ("Ubuntu:22.04:LTS", "ECOSYSTEM"),
    ("PyPI", "ECOSYSTEM"),
    ("npm", "SEMVER"),
    ("crates.io", "SEMVER"),
    ("Go", "SEMVER"),
    ("Maven", "ECOSYSTEM"),
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(out) = args.get(1) else {
        eprintln!("usage: osv-gen OUT.zip [N=100000]");
        std::process::exit(2);
    };
    let n: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let file = std::fs::File::create(out).expect("output file");
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    // Stored: the zip crate's deflating writer grew by about 300 KB per entry
    // here (24 GB at 100k); scripts/bench-image-peers deflates the result
    // with Python's zipfile, as osv.dev's exports are deflated.
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..n {
        let (ecosystem, range) = ECOSYSTEMS[i % ECOSYSTEMS.len()];
        // About 20 advisories per package, as in real data.
        let package = format!(
            "package-{}",
            (i / ECOSYSTEMS.len()) % (n / 20 / ECOSYSTEMS.len()).max(1)
        );
        let fixed = format!("{}.{}.{}", i % 7 + 1, i % 13, i % 5);
        let record = serde_json::json!({
            "schema_version": "1.6.0",
            "id": format!("KWGEN-{i:07}"),
            "modified": format!("2025-{:02}-{:02}T00:00:00Z", i % 12 + 1, i % 28 + 1),
            "published": "2024-01-01T00:00:00Z",
            "aliases": [format!("CVE-2024-{:05}", i % 99_999)],
            "summary": format!("generated advisory {i} for {package}"),
            "details": "Generated for kubeward's import benchmark. ".repeat(8),
            "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:L/A:N"}],
            "affected": [{
                "package": {"ecosystem": ecosystem, "name": package},
                "ranges": [{"type": range, "events": [{"introduced": "0"}, {"fixed": fixed}]}],
                "versions": [format!("{}.0.0", i % 7)],
            }],
            "references": [{"type": "ADVISORY", "url": format!("https://example.com/advisories/{i}")}],
        });
        zip.start_file(format!("KWGEN-{i:07}.json"), options)
            .expect("zip entry");
        zip.write_all(record.to_string().as_bytes())
            .expect("zip write");
    }
    zip.finish().expect("zip");
    eprintln!("wrote {n} advisories to {out}");
}
