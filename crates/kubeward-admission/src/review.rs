//! The `admission.k8s.io/v1` AdmissionReview as the API server sends and
//! expects it. Small serde types of our own: the object is read straight into
//! the scanner's value tree, with no detour through a typed or generic value.

use std::collections::BTreeMap;

use kubeward_core::Node;
use serde::{Deserialize, Serialize};

pub const API_VERSION: &str = "admission.k8s.io/v1";
pub const KIND: &str = "AdmissionReview";

/// A review as received. Every field is optional here so that a malformed
/// review gets a precise 400 rather than a generic parse error.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdmissionReview {
    pub api_version: Option<String>,
    pub kind: Option<String>,
    pub request: Option<AdmissionRequest>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdmissionRequest {
    pub uid: Option<String>,
    #[serde(default)]
    pub kind: GroupVersionKind,
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub operation: Option<String>,
    #[serde(default)]
    pub user_info: UserInfo,
    pub object: Option<Node>,
    pub old_object: Option<Node>,
    pub dry_run: Option<bool>,
    pub sub_resource: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct GroupVersionKind {
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub kind: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct UserInfo {
    pub username: Option<String>,
    #[serde(default)]
    pub groups: Vec<String>,
}

/// The review sent back.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewResponse {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub response: AdmissionResponse,
}

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdmissionResponse {
    pub uid: String,
    pub allowed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub audit_annotations: BTreeMap<String, String>,
    /// Base64 of a JSON Patch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch_type: Option<&'static str>,
}

/// A `metav1.Status` for denials.
#[derive(Debug, Serialize)]
pub struct Status {
    pub code: u16,
    pub reason: &'static str,
    pub message: String,
}

impl ReviewResponse {
    pub fn new(response: AdmissionResponse) -> Self {
        Self {
            api_version: API_VERSION,
            kind: KIND,
            response,
        }
    }
}

/// Why a review body cannot be answered (an HTTP 400).
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("request body is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("request body is not valid UTF-8 (at byte {0})")]
    Utf8(usize),
    #[error("expected apiVersion {API_VERSION} and kind {KIND}, got {0} {1}")]
    WrongType(String, String),
    #[error("the review has no request")]
    NoRequest,
    #[error("the request has no uid")]
    NoUid,
}

/// Parses and checks a review body; on success the request has a uid.
pub fn parse(body: &[u8]) -> Result<AdmissionRequest, ReviewError> {
    // One UTF-8 check of the whole body is cheaper than one per string.
    let text = std::str::from_utf8(body).map_err(|e| ReviewError::Utf8(e.valid_up_to()))?;
    let review: AdmissionReview = serde_json::from_str(text)?;
    let api_version = review.api_version.unwrap_or_default();
    let kind = review.kind.unwrap_or_default();
    if api_version != API_VERSION || kind != KIND {
        return Err(ReviewError::WrongType(api_version, kind));
    }
    let request = review.request.ok_or(ReviewError::NoRequest)?;
    if request.uid.as_deref().is_none_or(str::is_empty) {
        return Err(ReviewError::NoUid);
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_reviews_say_why() {
        assert!(matches!(parse(b"{"), Err(ReviewError::Json(_))));
        let wrong = br#"{"apiVersion": "admission.k8s.io/v1beta1", "kind": "AdmissionReview", "request": {"uid": "1"}}"#;
        assert!(matches!(parse(wrong), Err(ReviewError::WrongType(..))));
        let no_request = br#"{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview"}"#;
        assert!(matches!(parse(no_request), Err(ReviewError::NoRequest)));
        let no_uid =
            br#"{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {}}"#;
        assert!(matches!(parse(no_uid), Err(ReviewError::NoUid)));
        let ok = br#"{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "a", "operation": "CREATE", "object": {"kind": "Pod"}}}"#;
        let request = parse(ok).unwrap();
        assert_eq!(request.uid.as_deref(), Some("a"));
        assert_eq!(
            request.object.unwrap().get("kind").unwrap().as_str(),
            Some("Pod")
        );
    }
}
