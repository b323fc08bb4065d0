//! Credential detection: whether a named value (an environment variable, a
//! ConfigMap entry, a Dockerfile `ENV`/`ARG`, an image's config) is a
//! literal credential, by its name or by its shape. Shared by the manifest,
//! Dockerfile and image checks; callers say where a credential is, never
//! what it is.

/// Words that mark a setting's name as holding a credential when the name
/// ends with one (compared with separators removed, in upper case).
const SECRET_WORDS: [&str; 10] = [
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "ACCESSKEY",
    "PRIVATEKEY",
    "CREDENTIAL",
    "AUTHKEY",
    "CONNECTIONSTRING",
];

/// What may follow the secret word at the end of a name and still leave the
/// name meaning the credential itself: `SECRET_KEY`, `TOKEN_VALUE`.
const VALUE_SUFFIXES: [&str; 2] = ["KEY", "VALUE"];

/// The name with separators removed, in upper case (`dbPassword`,
/// `db-password` and `DB_PASSWORD` are all `DBPASSWORD`).
fn compact(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// How a setting's name marks it as a credential, if it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SecretName {
    /// The name ends with a secret word (`DB_PASSWORD`, `API_TOKEN2`,
    /// `DB_CREDENTIALS`).
    Plain,
    /// The secret word is followed by `KEY`: `DJANGO_SECRET_KEY` is a
    /// credential, but `CLIENT_SECRET_KEY: client-secret` names the key of a
    /// Secret that holds one.
    Key,
}

/// Whether a setting's name says it holds a credential: it must *end* with a
/// secret word (trailing digits and a plural `S` aside), or with a secret
/// word followed by `KEY` or `VALUE`. A name that goes on after the word
/// (`TOKEN_AUDIENCE`, `SECRET_STORE`, `PASSWORD_FILE`, `TOKEN_TTL`) names
/// something about a credential, not the credential.
fn secret_name(name: &str) -> Option<SecretName> {
    let compact = compact(name);
    let stem = compact.trim_end_matches(|c: char| c.is_ascii_digit());
    let ends_with_word = |s: &str| ends_in_word(s) || s.strip_suffix('S').is_some_and(ends_in_word);
    if ends_with_word(stem) {
        return Some(SecretName::Plain);
    }
    VALUE_SUFFIXES.iter().find_map(|suffix| {
        let before = stem.strip_suffix(suffix)?;
        ends_with_word(before).then_some(if *suffix == "KEY" {
            SecretName::Key
        } else {
            SecretName::Plain
        })
    })
}

fn ends_in_word(s: &str) -> bool {
    SECRET_WORDS.iter().any(|w| s.ends_with(w))
}

/// Whether a value names a credential rather than being one: an identifier
/// such as `client-secret` or `db_password` whose last word is a secret
/// word, as the key of a Secret is named.
fn names_a_credential(value: &str) -> bool {
    let v = value.trim();
    v.contains(['-', '_', '.'])
        && v.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        })
        && secret_name(v) == Some(SecretName::Plain)
}

/// Whether a value is plainly not a credential: empty, a reference to be
/// substituted, a path, a flag or a small number.
fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    v.is_empty()
        || v.starts_with("$(")
        || v.starts_with("${")
        || v.starts_with("{{")
        || v.starts_with('/')
        || matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "null"
        )
        || (v.len() <= 5 && v.bytes().all(|b| b.is_ascii_digit()))
}

/// What a value looks like, when its shape alone marks it as a credential.
fn credential_shape(value: &str) -> Option<&'static str> {
    let v = value.trim();
    if v.contains("-----BEGIN") && v.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    let token_body = |rest: &str, min: usize| {
        rest.len() >= min
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    if (v.starts_with("AKIA") || v.starts_with("ASIA"))
        && v.len() == 20
        && v.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Some("an AWS access key id");
    }
    for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"] {
        if v.strip_prefix(prefix)
            .is_some_and(|rest| token_body(rest, 20))
        {
            return Some("a GitHub token");
        }
    }
    if v.strip_prefix("glpat-")
        .is_some_and(|rest| token_body(rest, 20))
    {
        return Some("a GitLab token");
    }
    for prefix in ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-"] {
        if v.strip_prefix(prefix)
            .is_some_and(|rest| token_body(rest, 10))
        {
            return Some("a Slack token");
        }
    }
    if ["sk_live_", "rk_live_"]
        .iter()
        .any(|p| v.strip_prefix(p).is_some_and(|rest| token_body(rest, 16)))
    {
        return Some("a Stripe key");
    }
    if v.strip_prefix("AIza")
        .is_some_and(|rest| rest.len() == 35 && token_body(rest, 35))
    {
        return Some("a Google API key");
    }
    if is_jwt(v) {
        return Some("a JSON Web Token");
    }
    if has_url_password(v) {
        return Some("a URL with an embedded password");
    }
    None
}

/// Three dot-separated base64url parts, the first a JSON object header.
fn is_jwt(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    parts.len() == 3
        && v.starts_with("eyJ")
        && v.len() > 30
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// `scheme://user:password@host…` with a non-empty password.
fn has_url_password(v: &str) -> bool {
    let Some((_, rest)) = v.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let Some((userinfo, _host)) = authority.rsplit_once('@') else {
        return false;
    };
    userinfo
        .split_once(':')
        .is_some_and(|(_, password)| !password.is_empty() && !is_placeholder(password))
}

/// Why a named value counts as a literal credential, if it does.
pub fn literal_credential(name: &str, value: &str) -> Option<String> {
    if let Some(shape) = credential_shape(value) {
        return Some(format!("looks like {shape}"));
    }
    let named = match secret_name(name) {
        None => false,
        Some(SecretName::Plain) => true,
        Some(SecretName::Key) => !names_a_credential(value),
    };
    (named && !is_placeholder(value)).then(|| "is named like a credential".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_secret_name(name: &str) -> bool {
        secret_name(name).is_some()
    }

    #[test]
    fn names() {
        for n in [
            "DB_PASSWORD",
            "dbPassword",
            "api-key",
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_TOKEN",
            "client_secret",
            "DJANGO_SECRET_KEY",
            "JWT_SECRET_VALUE",
            "DB_CREDENTIALS",
            "API_TOKEN2",
            "spring.datasource.password",
            "TS_AUTHKEY",
            "AZURE_STORAGE_CONNECTION_STRING",
            "OAUTH2_PROXY_COOKIE_SECRET",
        ] {
            assert!(is_secret_name(n), "{n}");
        }
        for n in [
            "PASSWORD_FILE",
            "TOKEN_URL",
            "SECRET_NAME",
            "PWD",
            "HOME",
            "TOKEN_TTL",
            "GF_SECURITY_ADMIN_PASSWORD__FILE",
            "spring.datasource.password-file",
            "TOKENIZERS_PARALLELISM",
        ] {
            assert!(!is_secret_name(n), "{n}");
        }
    }

    #[test]
    fn credential_names_with_literal_values() {
        for (name, value) in [
            ("DB_PASSWORD", "hunter2"),
            ("POSTGRES_PASSWORD", "mysecretpassword"),
            ("DJANGO_SECRET_KEY", "x8#kd92-lq0+zv"),
            ("MINIO_SECRET_KEY", "minio123"),
            ("CLIENT_SECRET", "client-secret"),
            ("API_KEY", "abc123def456"),
            (
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ),
        ] {
            assert!(literal_credential(name, value).is_some(), "{name}");
        }
    }

    #[test]
    fn shapes() {
        assert_eq!(
            credential_shape("AKIAIOSFODNN7EXAMPLE"),
            Some("an AWS access key id")
        );
        assert_eq!(
            credential_shape("ghp_0123456789abcdefghij0123456789abcdef"),
            Some("a GitHub token")
        );
        assert_eq!(
            credential_shape("-----BEGIN RSA PRIVATE KEY-----\nMII..."),
            Some("a private key")
        );
        assert_eq!(
            credential_shape("postgres://app:s3cret@db:5432/app"),
            Some("a URL with an embedded password")
        );
        assert_eq!(credential_shape("postgres://app@db:5432/app"), None);
        assert_eq!(credential_shape("https://example.com/a:b@c"), None);
        assert_eq!(
            credential_shape("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlc2lnbmF0dXJl"),
            Some("a JSON Web Token")
        );
        assert_eq!(credential_shape("hello world"), None);
    }

    #[test]
    fn placeholders_are_not_credentials() {
        assert_eq!(literal_credential("DB_PASSWORD", "$(DB_PASSWORD)"), None);
        assert_eq!(literal_credential("DB_PASSWORD", ""), None);
        assert!(literal_credential("DB_PASSWORD", "hunter2").is_some());
        assert!(literal_credential("GREETING", "hunter2").is_none());
    }
}
