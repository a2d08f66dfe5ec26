//! Khipu's request signature: `Authorization: <receiver_id>:<hex>`, where `hex` is the
//! HMAC-SHA256 of the method, the URL and the sorted parameters, as Khipu's official
//! clients compute it.

use std::sync::Arc;

use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, header};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::error::Rejection;
use super::state::KhipuState;
use crate::faults::FullUri;
use crate::state::Sandbox;

/// Strict RFC 3986 percent-encoding: only `A-Z a-z 0-9 - . _ ~` stay as they are.
fn pct(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The string Khipu signs: `METHOD&pct(url)` then `&pct(key)=pct(value)` for every
/// parameter, sorted by key (byte order; equal keys keep their order).
fn string_to_sign(method: &str, url: &str, params: &[(&str, &str)]) -> String {
    let mut sorted = params.to_vec();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut to_sign = format!("{}&{}", method.to_ascii_uppercase(), pct(url));
    for (key, value) in sorted {
        to_sign.push('&');
        to_sign.push_str(&pct(key));
        to_sign.push('=');
        to_sign.push_str(&pct(value));
    }
    to_sign
}

fn mac(secret: &str, message: &str) -> Hmac<Sha256> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(message.as_bytes());
    mac
}

/// The lowercase hex HMAC-SHA256 signature of a Khipu API 2.0 request.
///
/// `url` is the base URL plus the path, without the query; `params` are the query and
/// form parameters together (absent ones left out). The `Authorization` header is then
/// `<receiver_id>:<signature>`.
///
/// ```
/// let hex = pagos_sandbox::khipu_signature(
///     "abc123",
///     "POST",
///     "https://khipu.com/api/2.0/payments",
///     &[("subject", "Test"), ("currency", "CLP"), ("amount", "1000")],
/// );
/// assert_eq!(hex, "59f94d3543de7b6fe9913e016124d456733425564be65409102ee3c2a094b659");
/// ```
pub fn khipu_signature(secret: &str, method: &str, url: &str, params: &[(&str, &str)]) -> String {
    hex::encode(
        mac(secret, &string_to_sign(method, url, params))
            .finalize()
            .into_bytes(),
    )
}

/// A request whose signature checked out: who sent it and its parameters.
pub(super) struct Signed {
    pub(super) receiver_id: String,
    params: Vec<(String, String)>,
}

impl Signed {
    /// The first value of a parameter; an empty value counts as absent.
    pub(super) fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

impl FromRequest<Arc<Sandbox>> for Signed {
    type Rejection = Rejection;

    async fn from_request(req: Request, sandbox: &Arc<Sandbox>) -> Result<Self, Rejection> {
        let (parts, body) = req.into_parts();
        let body = axum::body::to_bytes(body, 1 << 20)
            .await
            .map_err(|_| Rejection::bad_request("No se pudo leer el cuerpo de la petición"))?;
        let is_form = content_type(&parts.headers)
            .is_some_and(|ct| ct == "application/x-www-form-urlencoded");
        if !body.is_empty() && !is_form {
            return Err(Rejection::bad_request(
                "Content-Type debe ser application/x-www-form-urlencoded",
            ));
        }
        let uri = parts
            .extensions
            .get::<FullUri>()
            .map_or(&parts.uri, |full| &full.0);
        let mut params: Vec<(String, String)> =
            url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
                .into_owned()
                .collect();
        params.extend(url::form_urlencoded::parse(&body).into_owned());

        let authorization = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| Rejection::forbidden("Falta el encabezado Authorization"))?;
        let (receiver_id, signature) = authorization
            .trim()
            .split_once(':')
            .ok_or_else(|| Rejection::forbidden("Authorization debe ser <id cobrador>:<firma>"))?;
        let secret = sandbox
            .store()
            .records
            .get::<KhipuState>()
            .receivers
            .get(receiver_id)
            .cloned()
            .ok_or_else(|| Rejection::forbidden("Cobrador desconocido"))?;
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let url = format!("http://{host}{}", uri.path());
        let pairs: Vec<(&str, &str)> = params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let given =
            hex::decode(signature.trim()).map_err(|_| Rejection::forbidden("Firma inválida"))?;
        // `verify_slice` compares in constant time.
        mac(
            &secret,
            &string_to_sign(parts.method.as_str(), &url, &pairs),
        )
        .verify_slice(&given)
        .map_err(|_| Rejection::forbidden("Firma inválida"))?;
        Ok(Signed {
            receiver_id: receiver_id.to_string(),
            params,
        })
    }
}

fn content_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(
        value
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://khipu.com/api/2.0";

    #[test]
    fn reference_vector_create_payment() {
        let params = [("subject", "Test"), ("currency", "CLP"), ("amount", "1000")];
        assert_eq!(
            string_to_sign("POST", &format!("{BASE}/payments"), &params),
            "POST&https%3A%2F%2Fkhipu.com%2Fapi%2F2.0%2Fpayments&amount=1000&currency=CLP&subject=Test"
        );
        assert_eq!(
            khipu_signature("abc123", "POST", &format!("{BASE}/payments"), &params),
            "59f94d3543de7b6fe9913e016124d456733425564be65409102ee3c2a094b659"
        );
    }

    #[test]
    fn reference_vector_get_payment() {
        assert_eq!(
            khipu_signature("abc123", "GET", &format!("{BASE}/payments/abc123xyz"), &[]),
            "1b01c7a5841ff0ce39e1ee0563aeeca0531793df1d4ab5ca22bf28c054b7d4dc"
        );
    }

    #[test]
    fn reference_vector_notification_token_query() {
        let params = [("notification_token", "XYZ")];
        assert_eq!(
            string_to_sign("GET", &format!("{BASE}/payments"), &params),
            "GET&https%3A%2F%2Fkhipu.com%2Fapi%2F2.0%2Fpayments&notification_token=XYZ"
        );
        assert_eq!(
            khipu_signature("abc123", "GET", &format!("{BASE}/payments"), &params),
            "1b8a311b0ae3de5db79964400a7b4936a4f7007ae82c440fa16027c389ef095d"
        );
    }

    #[test]
    fn reference_vector_space_is_percent_20() {
        let params = [
            ("subject", "ejemplo de compra"),
            ("amount", "1000"),
            ("currency", "CLP"),
        ];
        assert!(string_to_sign("POST", BASE, &params).contains("subject=ejemplo%20de%20compra"));
        assert_eq!(
            khipu_signature("abc123", "POST", &format!("{BASE}/payments"), &params),
            "7a1c8e431b41b4546140f03d7e818633519d699f6bd095afeae3a9a352091377"
        );
    }

    #[test]
    fn percent_encoding_is_strict_rfc3986() {
        assert_eq!(pct("a-b.c_d~e"), "a-b.c_d~e");
        assert_eq!(pct("!*'() :/+"), "%21%2A%27%28%29%20%3A%2F%2B");
        assert_eq!(pct("ñ"), "%C3%B1");
    }
}
