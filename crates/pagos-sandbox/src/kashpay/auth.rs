//! Kashpay's session tokens: an HS512 JWT with `sub`, `entity`, `iat` and `exp`, signed
//! with a key fixed per seed, checked on every `createOrder` with the `Entity-i` header.

use axum::http::HeaderMap;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha512;

use super::error::Rejection;
use crate::state::Sandbox;
use crate::wire::bearer_token;

/// The key sandbox tokens are signed with: fixed per seed, so tokens are reproducible.
pub(super) fn signing_key(sandbox: &Sandbox) -> Vec<u8> {
    format!("pagos-sandbox-kashpay-{}", sandbox.config.seed).into_bytes()
}

fn sign(key: &[u8], message: &str) -> Hmac<Sha512> {
    let mut mac = Hmac::<Sha512>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(message.as_bytes());
    mac
}

pub(super) fn issue_token(
    key: &[u8],
    user: &str,
    entity: &str,
    issued_at: i64,
    expires_at: i64,
) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS512"}"#);
    let claims = json!({ "sub": user, "entity": entity, "iat": issued_at, "exp": expires_at });
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signing_input = format!("{header}.{payload}");
    let signature = URL_SAFE_NO_PAD.encode(sign(key, &signing_input).finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

/// Checks the signature and expiry of a token; returns its `entity` claim.
fn check_token(key: &[u8], token: &str, now: i64) -> Result<String, &'static str> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("Token mal formado");
    };
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| "Token mal formado")?;
    sign(key, &format!("{header}.{payload}"))
        .verify_slice(&signature)
        .map_err(|_| "Token inválido")?;
    let claims: serde_json::Value = URL_SAFE_NO_PAD
        .decode(payload)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or("Token mal formado")?;
    let expires = claims["exp"].as_i64().ok_or("Token sin exp")?;
    if now >= expires {
        return Err("Token expirado");
    }
    Ok(claims["entity"].as_str().unwrap_or_default().to_string())
}

/// Checks the bearer token and the `Entity-i` header of a `createOrder` call.
pub(super) fn authorize(sandbox: &Sandbox, headers: &HeaderMap) -> Result<(), Rejection> {
    let token = bearer_token(headers)
        .ok_or_else(|| Rejection::unauthorized("Falta el encabezado Authorization: Bearer"))?;
    let entity = headers
        .get("entity-i")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| Rejection::unauthorized("Falta el encabezado Entity-i"))?;
    let token_entity = check_token(
        &signing_key(sandbox),
        &token,
        sandbox.now().unix_timestamp(),
    )
    .map_err(Rejection::unauthorized)?;
    if entity != token_entity || entity != sandbox.config.credentials.kashpay_entity {
        return Err(Rejection::unauthorized("Entity-i no corresponde al token"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_and_expire() {
        let key = b"k";
        let token = issue_token(key, "u@x.test", "com.cascade", 1_000, 2_000);
        assert!(token.starts_with("eyJhbGciOiJIUzUxMiJ9."), "{token}");
        assert_eq!(check_token(key, &token, 1_999).unwrap(), "com.cascade");
        assert_eq!(check_token(key, &token, 2_000), Err("Token expirado"));
        assert_eq!(check_token(b"other", &token, 1_500), Err("Token inválido"));
        assert_eq!(check_token(key, "a.b", 1_500), Err("Token mal formado"));
    }
}
