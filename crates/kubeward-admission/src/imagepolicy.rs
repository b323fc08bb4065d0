//! `/imagepolicy`: the `imagepolicy.k8s.io/v1alpha1` ImageReview backend for
//! the API server's ImagePolicyWebhook admission plugin. k8s-openapi has no
//! types for it, so these are small serde structs of our own.
//!
//! Policy, per image: its registry must be on the allowlist (`[images]
//! allowed-registries`, when set); `:latest` and untagged images are refused
//! (`refuse-latest`, on by default); an image without a digest is refused when
//! `require-digest` is set. A pod annotated
//! `kubeward.image-policy.k8s.io/break-glass: "true"` is allowed whatever its
//! images (the API server forwards only pod annotations of the form
//! `*.image-policy.k8s.io/*`), and the review says so in the `break-glass`
//! audit annotation, which the API server records as
//! `imagepolicywebhook.image-policy.k8s.io/break-glass`.
//!
//! With a verdict store (`[serve.image-policy] verdicts`), an image pinned by
//! a digest whose recorded scan failed is refused with the scan's reasons;
//! images without a verdict (never scanned, or named by tag, which admission
//! cannot resolve without a registry round trip) are refused unless
//! `allow-unscanned` is set. Admission reads verdicts; it never scans.

use std::collections::BTreeMap;

use crate::config::ImagePolicyConfig;
use kubeward_core::image_ref::ImageRef;
use kubeward_verdict::ImageVerdictStore;
use serde::{Deserialize, Serialize};

pub const API_VERSION: &str = "imagepolicy.k8s.io/v1alpha1";
pub const KIND: &str = "ImageReview";
/// The pod annotation that lets a pod past the image policy.
pub const BREAK_GLASS: &str = "kubeward.image-policy.k8s.io/break-glass";
/// The audit annotation key recording a break-glass admission: bare, since
/// the API server prefixes it with `imagepolicywebhook.image-policy.k8s.io/`
/// and drops keys with a second `/`.
pub const BREAK_GLASS_KEY: &str = "break-glass";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageReview {
    pub api_version: Option<String>,
    pub kind: Option<String>,
    pub spec: Option<ImageReviewSpec>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ImageReviewSpec {
    #[serde(default)]
    pub containers: Vec<ImageReviewContainer>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    #[serde(default)]
    pub namespace: String,
}

#[derive(Debug, Deserialize)]
pub struct ImageReviewContainer {
    #[serde(default)]
    pub image: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageReviewResponse {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub status: ImageReviewStatus,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageReviewStatus {
    pub allowed: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub audit_annotations: BTreeMap<String, String>,
}

/// Why an ImageReview body cannot be answered (an HTTP 400).
#[derive(Debug, thiserror::Error)]
pub enum ImageReviewError {
    #[error("request body is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("expected apiVersion {API_VERSION} and kind {KIND}, got {0} {1}")]
    WrongType(String, String),
    #[error("the review has no spec")]
    NoSpec,
}

/// The image policy.
#[derive(Clone, Debug, Default)]
pub struct ImagePolicy {
    pub allowed_registries: Vec<String>,
    pub config: ImagePolicyConfig,
    /// Verdicts of `kubeward image scan --record`, when configured.
    pub verdicts: Option<ImageVerdictStore>,
}

impl ImagePolicy {
    /// Parses a review body and answers it.
    pub fn review(&self, body: &[u8]) -> Result<ImageReviewResponse, ImageReviewError> {
        let review: ImageReview = serde_json::from_slice(body)?;
        let api_version = review.api_version.unwrap_or_default();
        let kind = review.kind.unwrap_or_default();
        if api_version != API_VERSION || kind != KIND {
            return Err(ImageReviewError::WrongType(api_version, kind));
        }
        let spec = review.spec.ok_or(ImageReviewError::NoSpec)?;
        Ok(ImageReviewResponse {
            api_version: API_VERSION,
            kind: KIND,
            status: self.decide(&spec),
        })
    }

    pub fn decide(&self, spec: &ImageReviewSpec) -> ImageReviewStatus {
        let problems: Vec<String> = spec
            .containers
            .iter()
            .filter_map(|c| self.problem(&c.image))
            .collect();
        let mut audit_annotations = BTreeMap::new();
        if spec
            .annotations
            .get(BREAK_GLASS)
            .is_some_and(|v| v == "true")
        {
            if !problems.is_empty() {
                audit_annotations.insert(BREAK_GLASS_KEY.to_owned(), problems.join("; "));
            }
            return ImageReviewStatus {
                allowed: true,
                reason: String::new(),
                audit_annotations,
            };
        }
        ImageReviewStatus {
            allowed: problems.is_empty(),
            reason: problems.join("; "),
            audit_annotations,
        }
    }

    /// What is wrong with one image, if anything.
    fn problem(&self, reference: &str) -> Option<String> {
        if reference.is_empty() {
            return Some("a container names no image".to_owned());
        }
        let image = ImageRef::parse(reference);
        if !self.allowed_registries.is_empty()
            && !self.allowed_registries.iter().any(|r| image.is_under(r))
        {
            return Some(format!(
                "image {reference:?} comes from {}/{}, outside the allowed registries",
                image.registry, image.repository
            ));
        }
        if self.config.refuse_latest && image.floats_on_latest() {
            return Some(format!(
                "image {reference:?} uses the latest tag, said or implied"
            ));
        }
        if self.config.require_digest && image.digest.is_none() {
            return Some(format!("image {reference:?} is not pinned by digest"));
        }
        let store = self.verdicts.as_ref()?;
        let unscanned = |why: String| (!self.config.allow_unscanned).then_some(why);
        let Some(digest) = image.digest else {
            return unscanned(format!(
                "image {reference:?} is not pinned by digest, so it has no pre-scanned verdict"
            ));
        };
        match store.verdict(digest) {
            Ok(Some(v)) if v.allowed => None,
            Ok(Some(v)) => Some(format!(
                "image {reference:?} failed its scan: {}",
                if v.reasons.is_empty() {
                    "no reason recorded".to_owned()
                } else {
                    v.reasons.join(", ")
                }
            )),
            Ok(None) => unscanned(format!("image {reference:?} has no pre-scanned verdict")),
            // An unreadable verdict refuses: the store is the policy.
            Err(e) => Some(format!("image {reference:?}: {e}")),
        }
    }
}
