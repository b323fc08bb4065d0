//! Builds the large synthetic image the benchmarks scan: a real base layer
//! (the first layer of an OCI layout given as the base, e.g. the Debian
//! fixture) plus layers of generated files, at least the requested total size
//! and file count, with npm and Python packages among them and one layer that
//! deletes and replaces files of the others. Writes an OCI layout (gzip) and a
//! docker archive.
//!
//! `cargo run --release -p kubeward-image --example synth-image -- BASE_LAYOUT OUT_DIR [MIB] [FILES]`
#![allow(clippy::print_stderr)]

use std::io::Read;
use std::path::{Path, PathBuf};

use kubeward_image::synth::{Compression, LayerBuilder, write_docker_archive, write_oci_layout};

/// xorshift64*: fast, deterministic filler that gzip cannot shrink much.
struct Filler(u64);

impl Filler {
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n + 8);
        while out.len() < n {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            out.extend_from_slice(&self.0.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
        }
        out.truncate(n);
        out
    }
}

fn base_layer(layout: &Path) -> Vec<u8> {
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(layout.join("index.json")).expect("index.json"))
            .expect("json");
    let manifest_digest = index["manifests"][0]["digest"]
        .as_str()
        .expect("manifest digest");
    let blob = |d: &str| layout.join("blobs/sha256").join(&d[7..]);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(blob(manifest_digest)).expect("manifest"))
            .expect("json");
    let layer = manifest["layers"][0]["digest"]
        .as_str()
        .expect("layer digest");
    let mut tar = Vec::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(blob(layer)).expect("layer blob"))
        .read_to_end(&mut tar)
        .expect("gzip");
    // Drop the end-of-archive blocks so that nothing follows them.
    while tar.len() >= 512 && tar[tar.len() - 512..].iter().all(|&b| b == 0) {
        tar.truncate(tar.len() - 512);
    }
    tar.extend_from_slice(&[0u8; 1024]);
    tar
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: synth-image BASE_LAYOUT OUT_DIR [MIB=1100] [FILES=100000]");
        std::process::exit(2);
    }
    let base = PathBuf::from(&args[1]);
    let out = PathBuf::from(&args[2]);
    let mib: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(1100);
    let files: usize = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let layer_count = 4;
    let mut filler = Filler(0x9e37_79b9_7f4a_7c15);
    let mut layers = vec![base_layer(&base)];
    let per_layer_files = files / layer_count;
    let per_layer_bytes = (mib << 20) / layer_count;
    for l in 0..layer_count {
        let mut layer = LayerBuilder::new();
        let mut written = 0usize;
        for i in 0..per_layer_files {
            // Mostly small files, one in a hundred large: like real application trees.
            let size = if i % 100 == 0 {
                per_layer_bytes / (per_layer_files / 100).max(1)
            } else {
                700 + (i * 37) % 1500
            };
            let path = format!("srv/app{l}/d{:03}/f{i:06}.dat", i % 500);
            layer.file(&path, 0o644, &filler.bytes(size));
            written += size;
        }
        for p in 0..50 {
            let name = format!("pkg-{l}-{p}");
            let json =
                format!("{{\"name\":\"{name}\",\"version\":\"1.{p}.0\",\"license\":\"MIT\"}}");
            layer.file(
                &format!("srv/app{l}/node_modules/{name}/package.json"),
                0o644,
                json.as_bytes(),
            );
            let meta = format!("Metadata-Version: 2.1\nName: py-{l}-{p}\nVersion: 0.{p}.1\n");
            layer.file(
                &format!("usr/lib/python3/dist-packages/py_{l}_{p}-0.{p}.1.dist-info/METADATA"),
                0o644,
                meta.as_bytes(),
            );
        }
        if l == layer_count - 1 {
            // Replace and delete some of the earlier layers' files.
            layer
                .whiteout("srv/app0/d000")
                .dir("srv/app1/d001", 0o755)
                .file("srv/app1/d001/.wh..wh..opq", 0o644, b"");
        }
        eprintln!(
            "layer {}: {} files, {} MiB",
            l + 1,
            per_layer_files + 100,
            written >> 20
        );
        layers.push(layer.finish());
    }
    std::fs::create_dir_all(&out).expect("output directory");
    let layout = out.join("synthetic-oci");
    let _ = std::fs::remove_dir_all(&layout);
    write_oci_layout(
        &layout,
        &layers,
        Compression::Gzip,
        None,
        &serde_json::json!({}),
    )
    .expect("OCI layout");
    write_docker_archive(&out.join("synthetic-docker.tar"), &layers, "synthetic:1")
        .expect("docker archive");
    eprintln!(
        "wrote {} and {}",
        layout.display(),
        out.join("synthetic-docker.tar").display()
    );
}
