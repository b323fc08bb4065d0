//! A whole image scan of layers the input makes: the bytes after the first
//! two, split at 0xfe into up to four blobs (tar, gzip or zstd, told by their
//! magic), listed as many times as the first byte says (so one blob listed
//! again and again), then, if the second byte is not zero, that many MiB of
//! zeros in a gzip layer. The limits are tight; errors are fine, panics,
//! hangs and unbounded memory are not.
#![no_main]

use std::io::{Cursor, Read, Write};
use std::sync::OnceLock;
use std::time::Duration;

use kubeward_image::layer::Limits;
use kubeward_image::scan::scan;
use kubeward_image::source::{Image, ImageConfig, LayerOpener, LayerRef, SourceError, sha256_digest};
use libfuzzer_sys::fuzz_target;

struct Listed(Vec<Vec<u8>>);

impl LayerOpener for Listed {
    fn open(&self, index: usize) -> Result<Box<dyn Read + Send>, SourceError> {
        Ok(Box::new(Cursor::new(self.0[index].clone())))
    }
}

/// A tar of one file of `mib` MiB of zeros, gzip compressed as repeated
/// members of one MiB each.
fn zero_layer(mib: u64) -> Vec<u8> {
    static MEMBER: OnceLock<Vec<u8>> = OnceLock::new();
    let gzip = |data: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let _ = e.write_all(data);
        e.finish().unwrap_or_default()
    };
    let mut header = [0u8; 512];
    header[..7].copy_from_slice(b"zeroes\0");
    header[100..108].copy_from_slice(b"0000644\0");
    header[124..136].copy_from_slice(format!("{:011o}\0", mib << 20).as_bytes());
    header[156] = b'0';
    header[148..156].fill(b' ');
    let sum: u32 = header.iter().map(|&b| u32::from(b)).sum();
    header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    let member = MEMBER.get_or_init(|| gzip(&vec![0u8; 1 << 20]));
    let mut blob = gzip(&header);
    for _ in 0..mib {
        blob.extend_from_slice(member);
    }
    blob.extend_from_slice(&gzip(&[0u8; 1024]));
    blob
}

fuzz_target!(|data: &[u8]| {
    let [listings, zero_mib, rest @ ..] = data else { return };
    let blobs: Vec<&[u8]> = rest.split(|&b| b == 0xfe).take(4).collect();
    let mut listed: Vec<Vec<u8>> = (0..usize::from(*listings).max(1))
        .map(|i| blobs[i % blobs.len()].to_vec())
        .collect();
    if *zero_mib > 0 {
        listed.push(zero_layer(u64::from(*zero_mib)));
    }
    let layers = listed
        .iter()
        .map(|blob| LayerRef {
            digest: sha256_digest(blob),
            size: Some(blob.len() as u64),
            media_type: "application/vnd.oci.image.layer.v1.tar".into(),
            diff_id: None,
        })
        .collect();
    let image = Image {
        reference: "fuzz".into(),
        manifest_digest: None,
        index_digest: None,
        config_digest: String::new(),
        config: ImageConfig::default(),
        layers,
        repo_tags: Vec::new(),
        annotations: Default::default(),
        opener: Box::new(Listed(listed)),
    };
    let limits = Limits {
        max_layer_bytes: 64 << 20,
        max_image_bytes: 96 << 20,
        max_zero_bytes: 8 << 20,
        ratio_floor: 1 << 20,
        max_entries: 100_000,
        max_blob_listings: 16,
        max_capture: 1 << 20,
        max_capture_total: 4 << 20,
        max_inspect: 1 << 20,
        timeout: Duration::from_secs(10),
        ..Limits::default()
    };
    let _ = scan(image, &limits, &|_, _| {});
});
