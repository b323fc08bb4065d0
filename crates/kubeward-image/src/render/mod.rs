//! Renderers of image reports: a table for people, JSON for scripts
//! (`kubeward.image.v1`), SARIF 2.1.0 for code scanning, and the CycloneDX 1.5
//! and SPDX 2.3 SBOMs. They format what scanning found and decide nothing.

mod cyclonedx;
mod json;
mod sarif;
mod spdx;
mod table;

use std::io::{self, Write};
use std::str::FromStr;

use crate::report::ImageReport;

/// Output formats of `kubeward image scan` and `kubeward image sbom`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageFormat {
    Table,
    Json,
    Sarif,
    CycloneDx,
    Spdx,
}

impl FromStr for ImageFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "table" | "text" => ImageFormat::Table,
            "json" => ImageFormat::Json,
            "sarif" => ImageFormat::Sarif,
            "cyclonedx" => ImageFormat::CycloneDx,
            "spdx" | "spdx-json" => ImageFormat::Spdx,
            _ => {
                return Err(format!(
                    "unknown format `{s}` (table, json, sarif, cyclonedx, spdx)"
                ));
            }
        })
    }
}

pub fn render(
    report: &ImageReport<'_>,
    format: ImageFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        ImageFormat::Table => table::render(report, out),
        ImageFormat::Json => json::render(report, out),
        ImageFormat::Sarif => sarif::render(report, out),
        ImageFormat::CycloneDx => cyclonedx::render(report, out),
        ImageFormat::Spdx => spdx::render(report, out),
    }
}

/// RFC 3339 UTC time of now (SBOM timestamps).
pub(crate) fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rfc3339(secs)
}

/// Seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ` (civil-from-days).
pub(crate) fn rfc3339(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// A stable UUID-shaped identifier derived from some text (SBOM serial numbers).
pub(crate) fn uuid_from(text: &str) -> String {
    let hex = crate::source::sha256_digest(text.as_bytes());
    let h = &hex[7..];
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_747_699_200), "2025-05-20T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(uuid_from("x").len(), 36);
    }
}
