//! Acmepay's error envelope, mapped into [`pagos_core::ProviderError`] in one place.

use pagos_core::{Response, Result};
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

/// Passes a 2xx response through; turns anything else into a provider error, keeping
/// the raw body whatever its shape.
pub(crate) fn check(response: Response) -> Result<Response> {
    if response.is_success() {
        return Ok(response);
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
    Err(response.refusal(error))
}
