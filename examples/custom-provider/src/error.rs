//! Acmepay's error envelope, read in one place: the executor's refusal hook.

use pagos_core::{ProviderError, Response};
use serde::Deserialize;

#[derive(Deserialize)]
struct Envelope {
    error: ErrorBody,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// Reads a Acmepay answer: `None` for a 2xx (an answer to parse), otherwise the
/// refusal with the code and message of `{"error":{"code","message"}}` when the body
/// has that shape (the raw body is kept whatever its shape). The client installs it
/// with [`Executor::with_refusal`](pagos_core::Executor::with_refusal), and
/// [`Response::refusal`] turns it into the error.
///
/// ```
/// use pagos_core::Response;
/// let answer = Response::new("acmepay", "create_charge", 422, r#"{"error":{"code":"amount_too_low","message":"Amount too low"}}"#);
/// let refusal = pagos_acmepay::refusal(&answer).expect("a 422 is a refusal");
/// assert_eq!(refusal.code.as_deref(), Some("amount_too_low"));
/// assert!(pagos_acmepay::refusal(&Response::new("acmepay", "get_charge", 200, "{}")).is_none());
/// ```
pub fn refusal(response: &Response) -> Option<ProviderError> {
    if response.is_success() {
        return None;
    }
    let mut error = response.provider_error();
    if let Ok(Envelope { error: body }) = serde_json::from_slice::<Envelope>(&response.body) {
        if let Some(code) = body.code {
            error = error.with_code(code);
        }
        if let Some(message) = body.message {
            error = error.with_message(message);
        }
    }
    Some(error)
}
