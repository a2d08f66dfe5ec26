//! The shape every Khipu request has, in one place.
//!
//! Khipu's REST API 2.0 reference says of every method, `GET` and `DELETE` included,
//! "Consume: application/x-www-form-urlencoded" and "Produce: application/json", and
//! sends parameters as query parameters (`GET /payments?notification_token=…`) or as
//! form parameters ("Parámetros de formulario"), never as JSON. So a Khipu request:
//!
//! - always carries `Content-Type: application/x-www-form-urlencoded` and
//!   `Accept: application/json`;
//! - has a form body when it is a `POST` or `PUT` (empty when the call takes no form
//!   parameter, e.g. `POST /payments/{id}/confirm`), or when it has form parameters;
//! - has no body otherwise (`GET`, `DELETE`): the content type alone.
//!
//! Every endpoint describes its request with [`form_request`], and
//! [`KhipuSignature`](crate::signature::KhipuSignature) signs exactly the query and
//! form parameters of that description, so the rule cannot differ between what is
//! sent and what is signed.

use pagos_core::transport::Method;
use pagos_core::{ConfigError, Request, ValidationError};
use url::Url;

/// `application/x-www-form-urlencoded`: the content type of every Khipu request.
pub const FORM: &str = "application/x-www-form-urlencoded";

/// `application/json`: what every Khipu request accepts.
pub const JSON: &str = "application/json";

/// Describes a Khipu request (credentials left out) following the rule of the
/// [module docs](self): `query` is appended to `url`'s query string, `form` becomes a
/// form-encoded body for `POST`/`PUT` or when not empty.
///
/// ```
/// use pagos_core::transport::Method;
/// use pagos_khipu::request::{FORM, form_request};
///
/// let url = url::Url::parse("https://khipu.com/api/2.0/banks").unwrap();
/// let get = form_request(Method::GET, url.clone(), "list_banks", &[] as &[(&str, &str)], &[] as &[(&str, &str)])?;
/// assert_eq!(get.header_str("content-type"), Some(FORM));
/// assert_eq!(get.header_str("accept"), Some("application/json"));
/// assert!(get.body_bytes().is_empty());
///
/// let post = form_request(Method::POST, url, "x", &[] as &[(&str, &str)], &[("amount", "1000")])?;
/// assert_eq!(post.body_bytes(), b"amount=1000");
/// # Ok::<(), pagos_core::ConfigError>(())
/// ```
///
/// # Errors
/// Never in practice: the only fallible step adds the constant `Accept` header.
pub fn form_request<K1, V1, K2, V2>(
    method: Method,
    url: Url,
    operation: &'static str,
    query: &[(K1, V1)],
    form: &[(K2, V2)],
) -> Result<Request, ConfigError>
where
    K1: AsRef<str>,
    V1: AsRef<str>,
    K2: AsRef<str>,
    V2: AsRef<str>,
{
    let has_body = method == Method::POST || method == Method::PUT || !form.is_empty();
    let mut request = Request::new(method, url, operation).query(query);
    if has_body {
        request = request.form(form);
    } else {
        request.set_content_type(FORM);
    }
    request.header("accept", JSON)
}

/// Describes a Khipu request to an absolute URL given as text, e.g. to debug a
/// signature: the URL's query string becomes the request's query parameters (decoded,
/// so `a%20b` and `a+b` are both `a b`), `form` its form parameters, and the request
/// follows [`form_request`].
///
/// ```
/// use pagos_khipu::request::parse_request;
///
/// let r = parse_request("get", "https://khipu.com/api/2.0/payments?notification_token=XYZ", &[] as &[(&str, &str)])?;
/// assert_eq!(r.method().as_str(), "GET");
/// assert_eq!(r.url().query(), Some("notification_token=XYZ"));
/// assert!(parse_request("GET", "khipu.com/payments", &[] as &[(&str, &str)]).is_err());
/// # Ok::<(), pagos_core::Error>(())
/// ```
///
/// # Errors
/// [`pagos_core::Error::Validation`] on `method` for a method that is not an HTTP token,
/// or on `url` for text that is not an absolute `http(s)` URL.
pub fn parse_request<K: AsRef<str>, V: AsRef<str>>(
    method: &str,
    url: &str,
    form: &[(K, V)],
) -> pagos_core::Result<Request> {
    let method = Method::from_bytes(method.trim().to_ascii_uppercase().as_bytes())
        .map_err(|_| ValidationError::new("method", "not an HTTP method"))?;
    let mut url = Url::parse(url.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| ValidationError::new("url", "expected an absolute http(s) URL"))?;
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    url.set_query(None);
    url.set_fragment(None);
    Ok(form_request(method, url, "signed_request", &query, form)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: &[(&str, &str)] = &[];

    fn url() -> Url {
        Url::parse("https://khipu.com/api/2.0/payments/abc").unwrap()
    }

    #[test]
    fn bodiless_methods_carry_the_form_content_type_and_no_body() {
        for method in [Method::GET, Method::DELETE] {
            let r = form_request(method.clone(), url(), "op", NONE, NONE).unwrap();
            assert_eq!(r.header_str("content-type"), Some(FORM), "{method}");
            assert_eq!(r.header_str("accept"), Some(JSON), "{method}");
            assert!(r.body_bytes().is_empty(), "{method}");
            assert_eq!(r.url().query(), None, "{method}");
        }
    }

    #[test]
    fn posts_carry_a_form_body_even_when_empty() {
        let r = form_request(Method::POST, url(), "op", NONE, NONE).unwrap();
        assert_eq!(r.header_str("content-type"), Some(FORM));
        assert!(r.body_bytes().is_empty());
        let r = form_request(Method::POST, url(), "op", NONE, &[("amount", "1.5")]).unwrap();
        assert_eq!(r.body_bytes(), b"amount=1.5");
        let r = form_request(
            Method::GET,
            url(),
            "op",
            &[("notification_token", "a b")],
            NONE,
        )
        .unwrap();
        assert_eq!(r.url().query(), Some("notification_token=a+b"));
    }

    #[test]
    fn parse_request_splits_the_query_off() {
        let r = parse_request("post", "https://x.cl/p?a=1%202&b=c+d#frag", &[("f", "v")]).unwrap();
        assert_eq!(r.method(), Method::POST);
        assert_eq!(r.url().as_str(), "https://x.cl/p?a=1+2&b=c+d");
        assert_eq!(r.body_bytes(), b"f=v");
        let e = parse_request("GET", "ftp://x.cl", NONE).unwrap_err();
        assert_eq!(e.validation_field(), Some("url"));
        let e = parse_request("GE T", "https://x.cl", NONE).unwrap_err();
        assert_eq!(e.validation_field(), Some("method"));
    }
}
