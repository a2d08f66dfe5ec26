//! KashIO's authentication: HTTP Basic with the secret key as user name.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::error::Rejection;
use crate::state::Sandbox;
use crate::wire::{basic_credentials, secrets_match};

/// Requests authenticated with the secret key.
pub(super) struct KashioAuth;

impl FromRequestParts<Arc<Sandbox>> for KashioAuth {
    type Rejection = Rejection;

    async fn from_request_parts(
        parts: &mut Parts,
        sandbox: &Arc<Sandbox>,
    ) -> Result<Self, Rejection> {
        let expected = &sandbox.config.credentials.kashio_secret_key;
        match basic_credentials(&parts.headers) {
            Some((user, _password)) if secrets_match(&user, expected) => Ok(KashioAuth),
            Some(_) => Err(Rejection::Unauthorized("Clave secreta API inválida")),
            None => Err(Rejection::Unauthorized(
                "Se requiere autenticación básica con la clave secreta API",
            )),
        }
    }
}
