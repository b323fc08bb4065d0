//! Layer reading on arbitrary bytes (plain, gzip or zstd, told by the magic):
//! errors are fine, panics, hangs and unbounded memory are not.
#![no_main]

use kubeward_image::layer::{Budget, Limits, read_layer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits { max_layer_bytes: 64 << 20, max_image_bytes: 96 << 20, max_zero_bytes: 16 << 20, ratio_floor: 1 << 20, max_capture: 1 << 20, max_capture_total: 4 << 20, max_inspect: 1 << 20, ..Limits::default() };
    let _ = read_layer(data, &limits, true, None, &Budget::new(&limits));
});
