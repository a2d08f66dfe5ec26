//! Base URLs: where a provider client sends its requests.

use std::fmt;
use std::net::IpAddr;

use url::Url;

use crate::error::{ConfigError, ValidationError};

/// A provider's base URL, checked once when the client is built.
///
/// Plain `http` is accepted only for loopback hosts (a local simulator or test server);
/// anything else must be `https`, so credentials never cross a network in clear text.
///
/// ```
/// use pagos_core::BaseUrl;
/// let base = BaseUrl::parse("https://khipu.com/api/2.0")?;
/// assert_eq!(base.join(&["payments", "abc 1"]).unwrap().as_str(), "https://khipu.com/api/2.0/payments/abc%201");
/// assert!(base.join(&["payments", ".."]).is_err());
/// assert!(BaseUrl::parse("http://127.0.0.1:8080/khipu/api/2.0").is_ok());
/// assert!(BaseUrl::parse("http://khipu.com/api/2.0").is_err());
/// # Ok::<(), pagos_core::ConfigError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct BaseUrl {
    url: Url,
}

impl BaseUrl {
    /// Parses and checks a base URL: `https`, or `http` on a loopback host.
    ///
    /// # Errors
    /// A [`ConfigError`] on setting `base_url` for a malformed URL, a URL with a query,
    /// fragment or credentials, or plain `http` to a non-loopback host.
    pub fn parse(s: &str) -> Result<BaseUrl, ConfigError> {
        Self::parse_inner(s, false)
    }

    /// Like [`BaseUrl::parse`], but also accepts plain `http` to any host.
    ///
    /// Only for providers whose documented test hosts have no TLS (Kashpay's sandbox):
    /// a client should use it for those hosts, never for user input in general.
    ///
    /// # Errors
    /// A [`ConfigError`] for a malformed URL.
    pub fn parse_allowing_http(s: &str) -> Result<BaseUrl, ConfigError> {
        Self::parse_inner(s, true)
    }

    fn parse_inner(s: &str, allow_http: bool) -> Result<BaseUrl, ConfigError> {
        // Never echo the text: a malformed URL may still hold credentials
        // (`https://user:secret@...`), a query or a fragment.
        let err = |m: String| ConfigError::new("base_url", m);
        let url = Url::parse(s.trim()).map_err(|e| err(format!("not a URL: {e}")))?;
        if url.cannot_be_a_base() || url.host_str().is_none() {
            return Err(err(
                "cannot be a base URL: it needs a scheme and a host".into()
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(err("a base URL has no query or fragment".into()));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(err(
                "a base URL must not carry credentials; configure them on the client".into(),
            ));
        }
        match url.scheme() {
            "https" => {}
            "http" if allow_http || is_loopback(&url) => {}
            "http" => {
                return Err(err(format!(
                    "plain http is allowed only for loopback hosts; use https for {}",
                    url.host_str().unwrap_or_default()
                )));
            }
            _ => {
                return Err(err(
                    "the scheme must be https (or http to a loopback host)".into()
                ));
            }
        }
        let mut url = url;
        // One canonical form: no trailing slash, so joining never doubles it.
        let trimmed = url.path().trim_end_matches('/').to_string();
        url.set_path(&trimmed);
        Ok(BaseUrl { url })
    }

    /// The base URL as text, without a trailing slash.
    pub fn as_str(&self) -> &str {
        self.url.as_str().trim_end_matches('/')
    }

    /// The parsed URL.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Whether the host is loopback (`localhost`, `127.0.0.0/8`, `::1`).
    pub fn is_loopback(&self) -> bool {
        is_loopback(&self.url)
    }

    /// The URL of a resource under this base: each segment is percent-encoded, and
    /// segments the URL standard would resolve (`.`, `..`, empty, control characters;
    /// see [`crate::validate::path_id`]) are refused, so an id can never change the
    /// path. Provider crates validate each id under its own field name first; this is
    /// the last guard.
    ///
    /// # Errors
    /// A [`ValidationError`] on field `path` naming the refused segment's position.
    pub fn join(&self, segments: &[&str]) -> Result<Url, ValidationError> {
        for (i, segment) in segments.iter().enumerate() {
            crate::validate::path_id("path", segment).map_err(|e| {
                ValidationError::new("path", format!("segment {}: {}", i + 1, e.message()))
            })?;
        }
        let mut url = self.url.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        Ok(url)
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BaseUrl").field(&self.as_str()).finish()
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_or_loopback_only() {
        assert!(BaseUrl::parse("https://api.kashio.net/v1/payments").is_ok());
        assert!(BaseUrl::parse("http://localhost:1234/x").is_ok());
        assert!(BaseUrl::parse("http://127.0.0.9/x").is_ok());
        assert!(BaseUrl::parse("http://[::1]:80/x").is_ok());
        let e = BaseUrl::parse("http://api.kashio.net").unwrap_err();
        assert_eq!(e.setting(), "base_url");
        assert!(BaseUrl::parse("ftp://x.cl").is_err());
        assert!(BaseUrl::parse("https://x.cl/?a=1").is_err());
        assert!(BaseUrl::parse("https://user:pw@x.cl/").is_err());
        assert!(BaseUrl::parse("not a url").is_err());
        // A refused URL is never echoed: it may carry credentials.
        for bad in [
            "https://user:hunter2@x.cl/",
            "http://user:hunter2@remote.example/",
            "https://x.cl/?token=hunter2",
            "https://x.cl/#hunter2",
            "hunter2://x",
            "ht tp://user:hunter2@x.cl",
            "https://user:hunter2@",
            "mailto:hunter2@x.cl",
        ] {
            let e = BaseUrl::parse(bad).unwrap_err();
            assert!(!e.to_string().contains("hunter2"), "{bad}: {e}");
        }
        assert!(BaseUrl::parse_allowing_http("http://sdbx-polaris.kashplataforma.com").is_ok());
    }

    #[test]
    fn join_encodes_segments_and_trims_slashes() {
        let b = BaseUrl::parse("https://x.cl/api/2.0/").unwrap();
        assert_eq!(b.as_str(), "https://x.cl/api/2.0");
        assert_eq!(
            b.join(&["payments"]).unwrap().as_str(),
            "https://x.cl/api/2.0/payments"
        );
        assert_eq!(
            b.join(&["payments", "../x?y"]).unwrap().as_str(),
            "https://x.cl/api/2.0/payments/..%2Fx%3Fy"
        );
        for id in ["..", ".", "", " ", ".\n.", "%2e%2E", "a\u{0}b", "x\ry"] {
            let e = b.join(&["payments", id]).unwrap_err();
            assert_eq!(e.field(), "path", "{id:?}");
            assert!(e.message().starts_with("segment 2"), "{id:?}: {e}");
        }
        let root = BaseUrl::parse("https://x.cl").unwrap();
        assert_eq!(root.as_str(), "https://x.cl");
        assert_eq!(
            root.join(&["v2", "orders"]).unwrap().as_str(),
            "https://x.cl/v2/orders"
        );
    }
}
