//! TelePagos' bearer tokens: issued by `POST v2/auth/token`, required by every other
//! call until `expires_at`.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::error::Rejection;
use super::state::TelePagosState;
use crate::state::Sandbox;
use crate::wire::bearer_token;

/// Requests with a valid, unexpired bearer token.
pub(super) struct TelePagosAuth;

impl FromRequestParts<Arc<Sandbox>> for TelePagosAuth {
    type Rejection = Rejection;

    async fn from_request_parts(
        parts: &mut Parts,
        sandbox: &Arc<Sandbox>,
    ) -> Result<Self, Rejection> {
        let token = bearer_token(&parts.headers)
            .ok_or_else(|| Rejection::unauthorized("No autenticado: falta el token"))?;
        let store = sandbox.store();
        match store.records.get::<TelePagosState>().tokens.get(&token) {
            Some(expires) if *expires > store.now() => Ok(TelePagosAuth),
            Some(_) => Err(Rejection::unauthorized("Token expirado")),
            None => Err(Rejection::unauthorized("Token inválido")),
        }
    }
}
