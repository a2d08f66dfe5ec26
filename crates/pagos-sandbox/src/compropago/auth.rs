//! ComproPago's authentication: HTTP Basic with the private key as user and the public
//! key as password.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;

use super::error::Rejection;
use crate::state::Sandbox;
use crate::wire::{basic_credentials, secrets_match};

/// Requests authenticated with `sk:pk`.
pub(super) struct ComproPagoAuth;

impl FromRequestParts<Arc<Sandbox>> for ComproPagoAuth {
    type Rejection = Rejection;

    async fn from_request_parts(
        parts: &mut Parts,
        sandbox: &Arc<Sandbox>,
    ) -> Result<Self, Rejection> {
        let creds = &sandbox.config.credentials;
        let message = match basic_credentials(&parts.headers) {
            Some((sk, pk))
                if secrets_match(&sk, &creds.compropago_private_key)
                    && secrets_match(&pk, &creds.compropago_public_key) =>
            {
                return Ok(ComproPagoAuth);
            }
            Some(_) => "Llaves de API inválidas",
            None => "Se requiere autenticación básica sk:pk",
        };
        Err(Rejection::new(
            StatusCode::UNAUTHORIZED,
            message,
            parts.uri.path(),
            sandbox.now(),
        ))
    }
}
