//! Khipu API 2.0 request signing, exposed so integrators can debug a signature mismatch.
//!
//! Every call carries `Authorization: <receiver_id>:<hex>`, where `hex` is the lowercase
//! hex HMAC-SHA256 (key: the receiver's secret) of a string built from the request
//! (identical in Khipu's official Ruby, Java, PHP and .NET clients):
//!
//! 1. `UPPERCASE(method) + "&" + pct(url)`: the URL without its query string, path
//!    parameters already substituted, over whatever base URL the client uses;
//! 2. the query and form parameters together, absent ones dropped, sorted by key in
//!    plain byte order;
//! 3. for each, `"&" + pct(key) + "=" + pct(value)`.
//!
//! `pct` is strict RFC 3986 percent-encoding over UTF-8: only `A-Z a-z 0-9 - . _ ~`
//! stay, everything else becomes `%XX` with uppercase hex (a space is `%20`, never `+`).
//!
//! ```
//! use pagos_khipu::signature;
//!
//! let params = [("subject", Some("Test")), ("currency", Some("CLP")), ("amount", Some("1000"))];
//! let url = "https://khipu.com/api/2.0/payments";
//! assert_eq!(
//!     signature::string_to_sign("POST", url, &params),
//!     "POST&https%3A%2F%2Fkhipu.com%2Fapi%2F2.0%2Fpayments&amount=1000&currency=CLP&subject=Test"
//! );
//! assert_eq!(
//!     signature::authorization("1234", "abc123", "POST", url, &params),
//!     "1234:59f94d3543de7b6fe9913e016124d456733425564be65409102ee3c2a094b659"
//! );
//! ```
//!
//! [`KhipuSignature`] is the client's authentication strategy: it signs a described
//! [`Request`] (method, URL without its query, the query pairs and the form body pairs)
//! and adds the `Authorization` header.

use std::fmt;

use hmac::{Hmac, Mac};
use pagos_core::endpoint::{Authorize, Authorized};
use pagos_core::{ExposeSecret, Request, SecretString};
use sha2::Sha256;

const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Strict RFC 3986 percent-encoding of the UTF-8 bytes of `s`: only unreserved
/// characters (`A-Z a-z 0-9 - . _ ~`) are kept; everything else is `%XX`, uppercase hex.
///
/// ```
/// use pagos_khipu::signature::percent_encode;
/// assert_eq!(percent_encode("a b!*'()ñ"), "a%20b%21%2A%27%28%29%C3%B1");
/// ```
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    percent_encode_into(&mut out, s);
    out
}

/// Appends the encoding of `s` to `out`, so the string to sign is built in one buffer.
// The two table lookups index a 16-entry array with a nibble (`b >> 4` and `b & 0x0f`
// of a `u8`), which is 0..=15: they cannot go out of bounds.
#[allow(clippy::indexing_slicing)]
fn percent_encode_into(out: &mut String, s: &str) {
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(UPPER_HEX[usize::from(b >> 4)]));
            out.push(char::from(UPPER_HEX[usize::from(b & 0x0f)]));
        }
    }
}

/// The string Khipu signs for a request.
///
/// - `method`: the HTTP method, any case (it is upper-cased).
/// - `url`: the request URL exactly as sent, *without* its query string (anything from
///   a `?` or `#` on is ignored: pass query parameters in `params`).
/// - `params`: the query and form parameters together; `None` values are dropped (they
///   are not sent), `Some("")` is kept as `key=`. Order does not matter: they are sorted
///   by key in byte order (a stable sort, so repeated keys keep their order).
pub fn string_to_sign(method: &str, url: &str, params: &[(&str, Option<&str>)]) -> String {
    let url = url.split(['?', '#']).next().unwrap_or_default();
    let mut present: Vec<(&str, &str)> = params
        .iter()
        .filter_map(|(k, v)| v.map(|v| (*k, v)))
        .collect();
    present.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    // Worst case every byte becomes %XX: reserve once instead of growing.
    let capacity = method.len()
        + 3 * url.len()
        + present
            .iter()
            .map(|(k, v)| 2 + 3 * (k.len() + v.len()))
            .sum::<usize>();
    let mut out = String::with_capacity(capacity + 1);
    out.push_str(&method.to_ascii_uppercase());
    out.push('&');
    percent_encode_into(&mut out, url);
    for (key, value) in present {
        out.push('&');
        percent_encode_into(&mut out, key);
        out.push('=');
        percent_encode_into(&mut out, value);
    }
    out
}

/// The lowercase hex HMAC-SHA256 of `string_to_sign` keyed with `secret` (both UTF-8).
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    // HMAC accepts keys of any length, so this never fails.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC-SHA256 takes keys of any length"));
    mac.update(string_to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The `Authorization` header value: `<receiver_id>:<sign(secret, string_to_sign(..))>`.
///
/// See [`string_to_sign`] for the arguments.
pub fn authorization(
    receiver_id: &str,
    secret: &str,
    method: &str,
    url: &str,
    params: &[(&str, Option<&str>)],
) -> String {
    let hex = sign(secret, &string_to_sign(method, url, params));
    format!("{receiver_id}:{hex}")
}

/// The parameters Khipu signs for a described request: its query pairs, then its form
/// body pairs (when the body is `application/x-www-form-urlencoded`), decoded, in the
/// order they are sent.
pub fn request_params(request: &Request) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = request.url().query_pairs().into_owned().collect();
    let form = request
        .header_str("content-type")
        .is_some_and(|c| c.starts_with(crate::request::FORM));
    if form {
        params.extend(url::form_urlencoded::parse(request.body_bytes()).into_owned());
    }
    params
}

/// The string Khipu signs for a described request: [`string_to_sign`] over its method,
/// its URL without the query string, and [`request_params`].
///
/// ```
/// use pagos_khipu::{request, signature};
///
/// let r = request::parse_request("GET", "https://khipu.com/api/2.0/payments?notification_token=XYZ", &[] as &[(&str, &str)])?;
/// assert_eq!(
///     signature::request_string_to_sign(&r),
///     "GET&https%3A%2F%2Fkhipu.com%2Fapi%2F2.0%2Fpayments&notification_token=XYZ"
/// );
/// # Ok::<(), pagos_core::Error>(())
/// ```
pub fn request_string_to_sign(request: &Request) -> String {
    let params = request_params(request);
    let refs: Vec<(&str, Option<&str>)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), Some(v.as_str())))
        .collect();
    string_to_sign(request.method().as_str(), request.url().as_str(), &refs)
}

/// Khipu's request signature as an authentication strategy: every request gets
/// `Authorization: <receiver_id>:<hex>` computed from the request as described
/// (see the [module docs](self)). `Debug` never shows the secret.
///
/// ```
/// use pagos_khipu::{request, signature::KhipuSignature};
///
/// let signer = KhipuSignature::new("1234", "abc123");
/// let r = request::parse_request("POST", "https://khipu.com/api/2.0/payments",
///     &[("subject", "Test"), ("currency", "CLP"), ("amount", "1000")])?;
/// assert_eq!(
///     signer.authorization(&r),
///     "1234:59f94d3543de7b6fe9913e016124d456733425564be65409102ee3c2a094b659"
/// );
/// assert!(!format!("{signer:?}").contains("abc123"));
/// # Ok::<(), pagos_core::Error>(())
/// ```
#[derive(Clone)]
pub struct KhipuSignature {
    receiver_id: String,
    secret: SecretString,
}

impl KhipuSignature {
    /// Signs as `receiver_id` with its `secret`.
    pub fn new(receiver_id: impl Into<String>, secret: impl Into<String>) -> Self {
        KhipuSignature {
            receiver_id: receiver_id.into(),
            secret: SecretString::from(secret.into()),
        }
    }

    /// The receiver (collection account) id it signs as.
    pub fn receiver_id(&self) -> &str {
        &self.receiver_id
    }

    /// The lowercase hex HMAC-SHA256 of [`request_string_to_sign`].
    pub fn signature(&self, request: &Request) -> String {
        sign(
            self.secret.expose_secret(),
            &request_string_to_sign(request),
        )
    }

    /// The `Authorization` value for `request`: `<receiver_id>:<signature>`.
    pub fn authorization(&self, request: &Request) -> String {
        format!("{}:{}", self.receiver_id, self.signature(request))
    }
}

impl fmt::Debug for KhipuSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KhipuSignature")
            .field("receiver_id", &self.receiver_id)
            .field("secret", &"[REDACTED]")
            .finish()
    }
}

#[pagos_core::async_trait]
impl Authorize for KhipuSignature {
    async fn authorize(&self, request: Request) -> pagos_core::Result<Authorized> {
        let authorization = self.authorization(&request);
        Ok(Authorized::new(
            request.sensitive_header("authorization", &authorization)?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://khipu.com/api/2.0";

    #[test]
    fn reference_vector_post_payments() {
        let url = format!("{BASE}/payments");
        let params = [
            ("subject", Some("Test")),
            ("currency", Some("CLP")),
            ("amount", Some("1000")),
        ];
        let s = string_to_sign("POST", &url, &params);
        assert_eq!(
            s,
            "POST&https%3A%2F%2Fkhipu.com%2Fapi%2F2.0%2Fpayments&amount=1000&currency=CLP&subject=Test"
        );
        assert_eq!(
            sign("abc123", &s),
            "59f94d3543de7b6fe9913e016124d456733425564be65409102ee3c2a094b659"
        );
        assert_eq!(
            authorization("1234", "abc123", "POST", &url, &params),
            "1234:59f94d3543de7b6fe9913e016124d456733425564be65409102ee3c2a094b659"
        );
    }

    #[test]
    fn reference_vector_get_payment_by_id() {
        let url = format!("{BASE}/payments/abc123xyz");
        assert_eq!(
            string_to_sign("GET", &url, &[]),
            "GET&https%3A%2F%2Fkhipu.com%2Fapi%2F2.0%2Fpayments%2Fabc123xyz"
        );
        assert_eq!(
            authorization("1234", "abc123", "get", &url, &[]),
            "1234:1b01c7a5841ff0ce39e1ee0563aeeca0531793df1d4ab5ca22bf28c054b7d4dc"
        );
    }

    #[test]
    fn reference_vector_get_by_notification_token() {
        let url = format!("{BASE}/payments");
        let params = [("notification_token", Some("XYZ"))];
        assert_eq!(
            string_to_sign("GET", &url, &params),
            "GET&https%3A%2F%2Fkhipu.com%2Fapi%2F2.0%2Fpayments&notification_token=XYZ"
        );
        assert_eq!(
            authorization("1234", "abc123", "GET", &url, &params),
            "1234:1b8a311b0ae3de5db79964400a7b4936a4f7007ae82c440fa16027c389ef095d"
        );
        // A query string left on the URL is ignored, not signed twice.
        assert_eq!(
            string_to_sign("GET", &format!("{url}?notification_token=XYZ"), &params),
            string_to_sign("GET", &url, &params)
        );
    }

    #[test]
    fn reference_vector_space_in_subject() {
        let params = [
            ("subject", Some("ejemplo de compra")),
            ("amount", Some("1000")),
            ("currency", Some("CLP")),
        ];
        let url = format!("{BASE}/payments");
        assert!(string_to_sign("POST", &url, &params).ends_with("subject=ejemplo%20de%20compra"));
        assert_eq!(
            authorization("1234", "abc123", "POST", &url, &params),
            "1234:7a1c8e431b41b4546140f03d7e818633519d699f6bd095afeae3a9a352091377"
        );
    }

    #[test]
    fn percent_encoding_is_strict_rfc3986() {
        assert_eq!(percent_encode("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(percent_encode("a b"), "a%20b");
        assert_eq!(
            percent_encode("&=+/?%!*'()~"),
            "%26%3D%2B%2F%3F%25%21%2A%27%28%29~"
        );
        assert_eq!(percent_encode("ñ"), "%C3%B1");
        assert_eq!(percent_encode("á"), "%C3%A1");
        assert_eq!(percent_encode("€"), "%E2%82%AC");
        assert_eq!(percent_encode("a\nb\r\t"), "a%0Ab%0D%09");
        assert_eq!(percent_encode(""), "");
        assert_eq!(percent_encode(":/@#[]$,;"), "%3A%2F%40%23%5B%5D%24%2C%3B");
    }

    #[test]
    fn edge_case_values_in_the_string_to_sign() {
        let url = "http://127.0.0.1:8080/khipu/api/2.0/payments";
        let params = [
            ("subject", Some("Compra de café en Ñuñoa")),
            ("body", Some("línea 1\nlínea 2")),
            ("custom", Some("{\"a\":\"1&b=2+3/4?5%6!7*8'9(0)~\"}")),
            ("amount", Some("12.5")),
            ("transaction_id", Some("")),
            ("currency", Some("CLF")),
            ("picture_url", Some("https://x.cl/€.png")),
        ];
        assert_eq!(
            string_to_sign("post", url, &params),
            "POST&http%3A%2F%2F127.0.0.1%3A8080%2Fkhipu%2Fapi%2F2.0%2Fpayments\
             &amount=12.5\
             &body=l%C3%ADnea%201%0Al%C3%ADnea%202\
             &currency=CLF\
             &custom=%7B%22a%22%3A%221%26b%3D2%2B3%2F4%3F5%256%217%2A8%279%280%29~%22%7D\
             &picture_url=https%3A%2F%2Fx.cl%2F%E2%82%AC.png\
             &subject=Compra%20de%20caf%C3%A9%20en%20%C3%91u%C3%B1oa\
             &transaction_id="
        );
        // Cross-checked with Python's hmac/urllib.parse.quote(safe="-._~").
        assert_eq!(
            authorization("1234", "abc123", "POST", url, &params),
            "1234:37ebcd1de4216183bb1d884885fa34c176c933288d3d2bb5a3ffe9f2f884932a"
        );
    }

    #[test]
    fn absent_params_are_dropped_and_order_does_not_matter() {
        let url = "https://khipu.com/api/2.0/payments";
        let with_none = [
            ("subject", Some("Test")),
            ("body", None),
            ("currency", Some("CLP")),
            ("notify_url", None),
            ("amount", Some("1000")),
        ];
        let without = [
            ("amount", Some("1000")),
            ("currency", Some("CLP")),
            ("subject", Some("Test")),
        ];
        assert_eq!(
            string_to_sign("POST", url, &with_none),
            string_to_sign("POST", url, &without)
        );
        assert_eq!(
            authorization("1234", "abc123", "POST", url, &with_none),
            "1234:59f94d3543de7b6fe9913e016124d456733425564be65409102ee3c2a094b659"
        );
        // An empty value is not absent: it is signed as `key=`.
        let with_empty = [
            ("amount", Some("1000")),
            ("currency", Some("CLP")),
            ("subject", Some("Test")),
            ("body", Some("")),
        ];
        assert!(string_to_sign("POST", url, &with_empty).contains("&body=&currency=CLP"));
    }

    #[test]
    fn keys_sort_in_byte_order() {
        // Upper case sorts before lower case, `_` (0x5F) between them.
        let s = string_to_sign(
            "GET",
            "https://x.cl",
            &[
                ("b", Some("1")),
                ("a_b", Some("2")),
                ("B", Some("3")),
                ("a", Some("4")),
            ],
        );
        assert_eq!(s, "GET&https%3A%2F%2Fx.cl&B=3&a=4&a_b=2&b=1");
    }

    #[test]
    fn utf8_secret_and_message() {
        // HMAC over UTF-8 bytes of both the key and the message.
        let hex = sign("clavé€", "GET&x");
        assert_eq!(
            hex,
            "d49f7455610efd42cf14aa51e69a2ed00a8d4d94a79233121e52b82251b67660"
        );
        assert_ne!(hex, sign("clave", "GET&x"));
    }

    /// Every reference vector above, signed from a described request instead of from
    /// the parts.
    #[test]
    fn reference_vectors_from_the_described_request() {
        let signer = KhipuSignature::new("1234", "abc123");
        let none: &[(&str, &str)] = &[];
        let post = |subject: &str| {
            crate::request::parse_request(
                "POST",
                &format!("{BASE}/payments"),
                &[
                    ("subject", subject),
                    ("currency", "CLP"),
                    ("amount", "1000"),
                ],
            )
            .unwrap()
        };
        assert_eq!(
            signer.authorization(&post("Test")),
            "1234:59f94d3543de7b6fe9913e016124d456733425564be65409102ee3c2a094b659"
        );
        assert_eq!(
            signer.authorization(&post("ejemplo de compra")),
            "1234:7a1c8e431b41b4546140f03d7e818633519d699f6bd095afeae3a9a352091377"
        );
        let get = crate::request::parse_request("GET", &format!("{BASE}/payments/abc123xyz"), none)
            .unwrap();
        assert_eq!(
            signer.authorization(&get),
            "1234:1b01c7a5841ff0ce39e1ee0563aeeca0531793df1d4ab5ca22bf28c054b7d4dc"
        );
        let by_token = crate::request::parse_request(
            "GET",
            &format!("{BASE}/payments?notification_token=XYZ"),
            none,
        )
        .unwrap();
        assert_eq!(
            request_string_to_sign(&by_token),
            "GET&https%3A%2F%2Fkhipu.com%2Fapi%2F2.0%2Fpayments&notification_token=XYZ"
        );
        assert_eq!(
            signer.authorization(&by_token),
            "1234:1b8a311b0ae3de5db79964400a7b4936a4f7007ae82c440fa16027c389ef095d"
        );
        // The edge-case values survive the form encoding of the body and the query.
        let url = "http://127.0.0.1:8080/khipu/api/2.0/payments";
        let params = [
            ("subject", "Compra de café en Ñuñoa"),
            ("body", "línea 1\nlínea 2"),
            ("custom", "{\"a\":\"1&b=2+3/4?5%6!7*8'9(0)~\"}"),
            ("amount", "12.5"),
            ("transaction_id", ""),
            ("currency", "CLF"),
            ("picture_url", "https://x.cl/€.png"),
        ];
        let r = crate::request::parse_request("post", url, &params).unwrap();
        assert_eq!(
            signer.authorization(&r),
            "1234:37ebcd1de4216183bb1d884885fa34c176c933288d3d2bb5a3ffe9f2f884932a"
        );
    }

    #[tokio::test]
    async fn authorize_adds_a_sensitive_authorization_header() {
        let signer = KhipuSignature::new("1234", "abc123");
        let r = crate::request::parse_request(
            "GET",
            &format!("{BASE}/payments/abc123xyz"),
            &[] as &[(&str, &str)],
        )
        .unwrap();
        let authorized = signer.authorize(r).await.unwrap().request;
        let header = &authorized.headers()["authorization"];
        assert!(header.is_sensitive());
        assert_eq!(
            header.to_str().unwrap(),
            "1234:1b01c7a5841ff0ce39e1ee0563aeeca0531793df1d4ab5ca22bf28c054b7d4dc"
        );
        assert!(!format!("{authorized:?}").contains("1b01c7a5"));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// RFC 3986 percent-encoding written the plain way, independently of the crate's:
    /// unreserved characters stay, every other UTF-8 byte becomes `%XX`.
    fn reference_encode(s: &str) -> String {
        const UNRESERVED: &str =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
        let mut out = String::new();
        for ch in s.chars() {
            if UNRESERVED.contains(ch) {
                out.push(ch);
            } else {
                let mut buf = [0u8; 4];
                for b in ch.encode_utf8(&mut buf).bytes() {
                    out += &format!("%{b:02X}");
                }
            }
        }
        out
    }

    proptest! {
        #[test]
        fn percent_encode_matches_a_plain_rfc3986_encoder(s in "\\PC*") {
            prop_assert_eq!(percent_encode(&s), reference_encode(&s));
        }

        #[test]
        fn percent_encode_matches_on_reserved_and_unicode(
            s in proptest::collection::vec(
                prop_oneof![
                    Just('&'), Just('='), Just('+'), Just('/'), Just('?'), Just('%'), Just('!'),
                    Just('*'), Just('\''), Just('('), Just(')'), Just('~'), Just(' '), Just('\n'),
                    Just('ñ'), Just('á'), Just('€'), Just('😀'), any::<char>(),
                ],
                0..40,
            ).prop_map(|v| v.into_iter().collect::<String>())
        ) {
            prop_assert_eq!(percent_encode(&s), reference_encode(&s));
        }

        #[test]
        fn string_to_sign_is_independent_of_parameter_order(
            mut params in proptest::collection::vec(("[a-z_]{1,8}", "\\PC{0,12}"), 0..8),
        ) {
            // Distinct keys: with repeated keys order is meaningful (a stable sort keeps it).
            params.sort_by(|a, b| a.0.cmp(&b.0));
            params.dedup_by(|a, b| a.0 == b.0);
            let forward: Vec<(&str, Option<&str>)> =
                params.iter().map(|(k, v)| (k.as_str(), Some(v.as_str()))).collect();
            let mut backward = forward.clone();
            backward.reverse();
            let url = "https://khipu.com/api/2.0/payments";
            prop_assert_eq!(
                string_to_sign("POST", url, &forward),
                string_to_sign("POST", url, &backward)
            );
        }
    }
}
