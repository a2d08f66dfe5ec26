//! Khipu 3.0's authentication: an `x-api-key` header on every call, no request signing.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::error::Rejection;
use super::state::KhipuV3State;
use crate::state::Sandbox;
use crate::wire::secrets_match;

/// A request whose API key is known: the collection account it belongs to.
#[derive(Debug)]
pub(super) struct ApiKey {
    pub(super) receiver_id: String,
}

impl FromRequestParts<Arc<Sandbox>> for ApiKey {
    type Rejection = Rejection;

    async fn from_request_parts(
        parts: &mut Parts,
        sandbox: &Arc<Sandbox>,
    ) -> Result<Self, Self::Rejection> {
        let given = parts
            .headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .ok_or_else(Rejection::unauthorized)?;
        let store = sandbox.store();
        let state: &KhipuV3State = store.records.get();
        // Every known key is compared, so the answer time does not depend on which one
        // (or how much of one) matched.
        let mut found = None;
        for (key, receiver) in &state.keys {
            if secrets_match(given, key) {
                found = Some(receiver.clone());
            }
        }
        found
            .map(|receiver_id| ApiKey { receiver_id })
            .ok_or_else(Rejection::unauthorized)
    }
}
