//! Container image references, split as container runtimes read them, for
//! the manifest, Dockerfile and image checks, the registry client and the
//! admission server's image policy.

/// An image reference split as container runtimes read it.
#[derive(Debug, PartialEq, Eq)]
pub struct ImageRef<'a> {
    /// Registry host (`docker.io` when none is named).
    pub registry: String,
    /// Repository path within the registry (`library/nginx`).
    pub repository: String,
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

impl<'a> ImageRef<'a> {
    pub fn parse(reference: &'a str) -> Self {
        let (name, digest) = match reference.rsplit_once('@') {
            Some((name, digest)) => (name, Some(digest)),
            None => (reference, None),
        };
        let last_slash = name.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name[last_slash..].rfind(':') {
            Some(i) => (&name[..last_slash + i], Some(&name[last_slash + i + 1..])),
            None => (name, None),
        };
        let (registry, repository) = match name.split_once('/') {
            Some((host, rest)) if host.contains(['.', ':']) || host == "localhost" => {
                (host.to_ascii_lowercase(), rest.to_owned())
            }
            Some(_) => ("docker.io".to_owned(), name.to_owned()),
            None => ("docker.io".to_owned(), format!("library/{name}")),
        };
        let registry = match registry.as_str() {
            "index.docker.io" | "registry-1.docker.io" => "docker.io".to_owned(),
            _ => registry,
        };
        Self {
            registry,
            repository,
            tag,
            digest,
        }
    }

    /// `latest`, said or implied by a missing tag, and not pinned by a digest.
    pub fn floats_on_latest(&self) -> bool {
        self.digest.is_none() && matches!(self.tag, None | Some("latest"))
    }

    /// Whether `prefix` (a registry, or registry/path) covers this image.
    pub fn is_under(&self, prefix: &str) -> bool {
        let prefix = prefix.trim_end_matches('/');
        let (host, path) = prefix.split_once('/').unwrap_or((prefix, ""));
        let host = match host.to_ascii_lowercase().as_str() {
            "index.docker.io" | "registry-1.docker.io" => "docker.io".to_owned(),
            h => h.to_owned(),
        };
        host == self.registry
            && (path.is_empty()
                || self.repository == path
                || self
                    .repository
                    .strip_prefix(path)
                    .is_some_and(|rest| rest.starts_with('/')))
    }
}

#[cfg(test)]
mod tests {
    use super::ImageRef;

    #[test]
    fn references_parse_as_runtimes_read_them() {
        let r = ImageRef::parse("nginx");
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str(), r.tag, r.digest),
            ("docker.io", "library/nginx", None, None)
        );
        let r = ImageRef::parse("localhost:5000/team/app:1.2@sha256:abc");
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str(), r.tag, r.digest),
            (
                "localhost:5000",
                "team/app",
                Some("1.2"),
                Some("sha256:abc")
            )
        );
        let r = ImageRef::parse("bitnami/redis:latest");
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str(), r.tag),
            ("docker.io", "bitnami/redis", Some("latest"))
        );
        let r = ImageRef::parse("GHCR.io/acme/api");
        assert_eq!(r.registry, "ghcr.io");
    }

    #[test]
    fn allowlist_prefixes() {
        let r = ImageRef::parse("ghcr.io/acme/api:1");
        assert!(r.is_under("ghcr.io"));
        assert!(r.is_under("ghcr.io/acme"));
        assert!(r.is_under("ghcr.io/acme/"));
        assert!(!r.is_under("ghcr.io/acm"));
        assert!(!r.is_under("quay.io"));
        assert!(ImageRef::parse("nginx").is_under("index.docker.io/library"));
    }
}
