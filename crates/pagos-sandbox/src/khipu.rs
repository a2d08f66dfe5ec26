//! Khipu REST API 2.0, served under `/khipu/api/2.0`.
//!
//! Every request must carry `Authorization: <receiver_id>:<hex>` where `hex` is the
//! HMAC-SHA256 signature of Khipu's official clients, recomputed here over the URL as
//! received (`http://` + `Host` + path, no query) and the query and form parameters.
//! Bodies are form-encoded; answers are JSON. Payments go `pending` → `verifying` →
//! `done` when the payer pays (control API); a done payment with a `notify_url` triggers
//! the 1.3 notification (`api_version=1.3&notification_token=...`).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use hmac::{Hmac, Mac};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use sha2::Sha256;
use time::OffsetDateTime;

use crate::Error;
use crate::config::SandboxConfig;
use crate::config::{Credentials, Provider};
use crate::control::RecordCounts;
use crate::control::{ActionOutcome, PayerAction};
use crate::faults::FullUri;
use crate::notify::Outgoing;
use crate::simulated::{Acted, Checkout, SimulatedProvider};
use crate::state::Records;
use crate::state::{Sandbox, Store};
use crate::wire::{
    FieldError, JsonNumber, is_email, is_http_url, json_response, parse_plain_decimal,
    parse_rfc3339, rfc3339, route,
};

/// Currencies a Khipu payment may be created in.
const CURRENCIES: [&str; 5] = ["CLP", "USD", "ARS", "BOB", "EUR"];
/// A payment without `expires_date` can be paid for this long.
const DEFAULT_EXPIRY: Duration = Duration::from_secs(24 * 3600);

/// The banks `GET /banks` lists: `(bank_id, name, message, min_amount, type, parent)`.
const BANKS: [(&str, &str, &str, &str, &str, &str); 3] = [
    (
        "Bawdf",
        "DemoBank",
        "Banco de pruebas del sandbox",
        "200.0000",
        "Persona",
        "",
    ),
    (
        "Bawdg",
        "DemoBank Empresas",
        "Requiere clave de empresa",
        "1000.0000",
        "Empresa",
        "Bawdf",
    ),
    ("Bawdh", "Banco Sandbox", "", "1.0000", "Persona", ""),
];

/// Khipu's records: receivers (id → secret) and payments.
#[derive(Debug)]
pub(crate) struct KhipuState {
    receivers: BTreeMap<String, String>,
    payments: BTreeMap<String, Payment>,
    next_receiver: u64,
}

/// How many payments exist.
pub(crate) fn payment_count(store: &Store) -> usize {
    store.records.get::<KhipuState>().payments.len()
}

impl KhipuState {
    pub(crate) fn new(credentials: &Credentials) -> Self {
        let mut receivers = BTreeMap::new();
        receivers.insert(
            credentials.khipu_receiver_id.clone(),
            credentials.khipu_secret.clone(),
        );
        KhipuState {
            receivers,
            payments: BTreeMap::new(),
            next_receiver: 50_001,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Pending,
    Verifying,
    Done,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Verifying => "verifying",
            Status::Done => "done",
        }
    }
}

#[derive(Debug, Clone)]
struct Payment {
    id: String,
    receiver_id: String,
    notification_token: String,
    subject: String,
    amount: Decimal,
    currency: String,
    status: Status,
    status_detail: &'static str,
    body: Option<String>,
    picture_url: Option<String>,
    return_url: Option<String>,
    cancel_url: Option<String>,
    notify_url: Option<String>,
    notify_api_version: Option<String>,
    expires_date: OffsetDateTime,
    transaction_id: Option<String>,
    custom: Option<String>,
    bank_id: Option<String>,
    payer_name: Option<String>,
    payer_email: Option<String>,
    send_email: bool,
    send_reminders: bool,
    responsible_user_email: Option<String>,
    fixed_payer_personal_identifier: Option<String>,
    confirm_timeout_date: Option<OffsetDateTime>,
    conciliation_date: Option<OffsetDateTime>,
    payment_method: Option<&'static str>,
    personal_identifier: Option<String>,
    bank_account_number: Option<String>,
    refunded: Decimal,
    confirmed: bool,
}

// ---------------------------------------------------------------------------------------
// Signing

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
pub(crate) struct Signed {
    receiver_id: String,
    params: Vec<(String, String)>,
}

impl Signed {
    /// The first value of a parameter; an empty value counts as absent.
    fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

impl FromRequest<Arc<Sandbox>> for Signed {
    type Rejection = Response;

    async fn from_request(req: Request, sandbox: &Arc<Sandbox>) -> Result<Self, Response> {
        let (parts, body) = req.into_parts();
        let body = axum::body::to_bytes(body, 1 << 20).await.map_err(|_| {
            error_response(
                StatusCode::BAD_REQUEST,
                "No se pudo leer el cuerpo de la petición",
            )
        })?;
        let is_form = content_type(&parts.headers)
            .is_some_and(|ct| ct == "application/x-www-form-urlencoded");
        if !body.is_empty() && !is_form {
            return Err(error_response(
                StatusCode::BAD_REQUEST,
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

        let forbidden = |m: &str| error_response(StatusCode::FORBIDDEN, m);
        let authorization = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| forbidden("Falta el encabezado Authorization"))?;
        let (receiver_id, signature) = authorization
            .trim()
            .split_once(':')
            .ok_or_else(|| forbidden("Authorization debe ser <id cobrador>:<firma>"))?;
        let secret = sandbox
            .store()
            .records
            .get_mut::<KhipuState>()
            .receivers
            .get(receiver_id)
            .cloned()
            .ok_or_else(|| forbidden("Cobrador desconocido"))?;
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
        let given = hex::decode(signature.trim()).map_err(|_| forbidden("Firma inválida"))?;
        // `verify_slice` compares in constant time.
        mac(
            &secret,
            &string_to_sign(parts.method.as_str(), &url, &pairs),
        )
        .verify_slice(&given)
        .map_err(|_| forbidden("Firma inválida"))?;
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

// ---------------------------------------------------------------------------------------
// Answers

/// Khipu's error body: `{"status":N,"message":"..."}` (AuthorizationError, ServiceError).
pub(crate) fn error_response(status: StatusCode, message: &str) -> Response {
    json_response(
        status,
        &json!({ "status": status.as_u16(), "message": message }),
    )
}

/// Khipu's ValidationError: 400 with `errors[{field,message}]`.
fn validation_response(errors: &[FieldError]) -> Response {
    let items: Vec<_> = errors
        .iter()
        .map(|e| json!({ "field": e.field, "message": e.message }))
        .collect();
    json_response(
        StatusCode::BAD_REQUEST,
        &json!({ "status": 400, "message": "Error de validación", "errors": items }),
    )
}

fn not_found_payment() -> Response {
    error_response(StatusCode::NOT_FOUND, "Pago no encontrado")
}

/// `receiver_id` is a Long in the model: a JSON number when it is all digits.
fn receiver_id_json(id: &str) -> serde_json::Value {
    id.parse::<u64>().map_or_else(|_| json!(id), |n| json!(n))
}

#[derive(Serialize)]
struct PaymentView {
    payment_id: String,
    payment_url: String,
    simplified_transfer_url: String,
    transfer_url: String,
    app_url: String,
    ready_for_terminal: bool,
    notification_token: String,
    receiver_id: serde_json::Value,
    conciliation_date: Option<String>,
    subject: String,
    amount: JsonNumber,
    currency: String,
    status: &'static str,
    status_detail: &'static str,
    body: Option<String>,
    picture_url: Option<String>,
    receipt_url: Option<String>,
    return_url: Option<String>,
    cancel_url: Option<String>,
    notify_url: Option<String>,
    notify_api_version: Option<String>,
    expires_date: String,
    attachment_urls: Vec<String>,
    bank: Option<String>,
    bank_id: Option<String>,
    payer_name: Option<String>,
    payer_email: Option<String>,
    personal_identifier: Option<String>,
    bank_account_number: Option<String>,
    out_of_date_conciliation: bool,
    transaction_id: Option<String>,
    custom: Option<String>,
    responsible_user_email: Option<String>,
    send_reminders: bool,
    send_email: bool,
    payment_method: Option<&'static str>,
    funds_source: Option<&'static str>,
    discount: JsonNumber,
}

struct Urls {
    payment: String,
    simplified: String,
    transfer: String,
    app: String,
}

fn urls(origin: &str, id: &str) -> Urls {
    let payment = format!("{origin}/_sandbox/checkout/khipu/{id}");
    Urls {
        simplified: format!("{payment}?method=simplified_transfer"),
        transfer: format!("{payment}?method=regular_transfer"),
        app: format!("khipu:///pos/{id}"),
        payment,
    }
}

fn view(p: &Payment, origin: &str) -> PaymentView {
    let urls = urls(origin, &p.id);
    let bank = p
        .bank_id
        .as_deref()
        .and_then(|id| BANKS.iter().find(|b| b.0 == id))
        .map(|b| b.1.to_string());
    PaymentView {
        payment_id: p.id.clone(),
        receipt_url: (p.status == Status::Done).then(|| format!("{}/receipt", urls.payment)),
        payment_url: urls.payment,
        simplified_transfer_url: urls.simplified,
        transfer_url: urls.transfer,
        app_url: urls.app,
        ready_for_terminal: false,
        notification_token: p.notification_token.clone(),
        receiver_id: receiver_id_json(&p.receiver_id),
        conciliation_date: p.conciliation_date.map(rfc3339),
        subject: p.subject.clone(),
        // Khipu answers amounts with four decimals (`1000.0000`); its public
        // documentation says they also come as strings, but a number is what the model
        // documents.
        amount: JsonNumber::fixed(p.amount, 4),
        currency: p.currency.clone(),
        status: p.status.as_str(),
        status_detail: p.status_detail,
        body: p.body.clone(),
        picture_url: p.picture_url.clone(),
        return_url: p.return_url.clone(),
        cancel_url: p.cancel_url.clone(),
        notify_url: p.notify_url.clone(),
        notify_api_version: p.notify_api_version.clone(),
        expires_date: rfc3339(p.expires_date),
        attachment_urls: Vec::new(),
        bank,
        bank_id: p.bank_id.clone(),
        payer_name: p.payer_name.clone(),
        payer_email: p.payer_email.clone(),
        personal_identifier: p.personal_identifier.clone(),
        bank_account_number: p.bank_account_number.clone(),
        out_of_date_conciliation: p.conciliation_date.is_some_and(|d| d > p.expires_date),
        transaction_id: p.transaction_id.clone(),
        custom: p.custom.clone(),
        responsible_user_email: p.responsible_user_email.clone(),
        send_reminders: p.send_reminders,
        send_email: p.send_email,
        payment_method: p.payment_method,
        funds_source: (p.status == Status::Done).then_some("debit"),
        discount: JsonNumber::fixed(Decimal::ZERO, 4),
    }
}

// ---------------------------------------------------------------------------------------
// Routes

pub(crate) fn router() -> Router<Arc<Sandbox>> {
    let r = Router::new();
    let r = route(r, "/banks", get(banks));
    let r = route(r, "/payments", get(payment_by_token).post(create_payment));
    let r = route(r, "/payments/{id}", get(get_payment).delete(delete_payment));
    let r = route(r, "/payments/{id}/confirm", post(confirm_payment));
    let r = route(r, "/payments/{id}/refunds", post(refund_payment));
    let r = route(r, "/receivers", post(create_receiver));
    let r = route(r, "/merchants/{id}/paymentMethods", get(payment_methods));
    r.fallback(not_found)
}

async fn not_found() -> Response {
    error_response(StatusCode::NOT_FOUND, "Recurso no encontrado")
}

async fn banks(_signed: Signed) -> Response {
    #[derive(Serialize)]
    struct Bank {
        bank_id: &'static str,
        name: &'static str,
        message: &'static str,
        min_amount: JsonNumber,
        r#type: &'static str,
        parent: &'static str,
        logo_url: Option<&'static str>,
    }
    let banks: Vec<Bank> = BANKS
        .iter()
        .map(|(bank_id, name, message, min, kind, parent)| Bank {
            bank_id,
            name,
            message,
            min_amount: JsonNumber::fixed(parse_plain_decimal(min).unwrap_or_default(), 4),
            r#type: kind,
            parent,
            logo_url: None,
        })
        .collect();
    json_response(StatusCode::OK, &json!({ "banks": banks }))
}

/// Parses a Khipu amount: `.` as separator, no thousands separator, at most 4 decimals,
/// at most 16 characters, positive.
fn parse_amount(field: &str, text: &str) -> Result<Decimal, FieldError> {
    let err = |m: &str| FieldError::new(field, m);
    if text.len() > 16 {
        return Err(err("El monto tiene más de 16 caracteres"));
    }
    let amount = parse_plain_decimal(text)
        .filter(|_| !text.starts_with('-'))
        .ok_or_else(|| err("El monto debe ser un número sin separador de miles y con '.' como separador decimal"))?;
    if text.split_once('.').is_some_and(|(_, frac)| frac.len() > 4) {
        return Err(err("El monto tiene más de 4 decimales"));
    }
    if amount <= Decimal::ZERO {
        return Err(err("El monto debe ser mayor que cero"));
    }
    Ok(amount)
}

fn parse_bool(signed: &Signed, key: &str, errors: &mut Vec<FieldError>) -> bool {
    match signed.param(key) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            errors.push(FieldError::new(key, "Debe ser 'true' o 'false'"));
            false
        }
    }
}

async fn create_payment(State(sandbox): State<Arc<Sandbox>>, signed: Signed) -> Response {
    let mut errors = Vec::new();
    let text = |key: &str| signed.param(key).map(str::to_string);

    let subject = text("subject").filter(|s| !s.trim().is_empty());
    if subject.is_none() {
        errors.push(FieldError::new("subject", "El motivo es obligatorio"));
    }
    let currency = text("currency");
    match currency.as_deref() {
        None => errors.push(FieldError::new("currency", "La moneda es obligatoria")),
        Some(c) if !CURRENCIES.contains(&c) => {
            errors.push(FieldError::new(
                "currency",
                format!("Moneda no soportada: {c}"),
            ));
        }
        Some(_) => {}
    }
    let amount = match signed.param("amount") {
        None => {
            errors.push(FieldError::new("amount", "El monto es obligatorio"));
            None
        }
        Some(a) => match parse_amount("amount", a) {
            Ok(amount) => {
                if currency.as_deref() == Some("CLP") && !amount.fract().is_zero() {
                    errors.push(FieldError::new(
                        "amount",
                        "El peso chileno no admite decimales",
                    ));
                }
                Some(amount)
            }
            Err(e) => {
                errors.push(e);
                None
            }
        },
    };
    for key in [
        "return_url",
        "cancel_url",
        "picture_url",
        "notify_url",
        "contract_url",
    ] {
        if signed.param(key).is_some_and(|u| !is_http_url(u)) {
            errors.push(FieldError::new(key, "Debe ser una URL http o https"));
        }
    }
    if let Some(version) = signed.param("notify_api_version")
        && version != "1.3"
    {
        errors.push(FieldError::new(
            "notify_api_version",
            "Solo se admite la versión 1.3",
        ));
    }
    let now = sandbox.store().now();
    let mut date = |key: &str| match signed.param(key) {
        None => None,
        Some(d) => match parse_rfc3339(d) {
            Some(date) => Some(date),
            None => {
                errors.push(FieldError::new(
                    key,
                    "Fecha inválida; use ISO-8601, ej: 2017-03-01T13:00:00Z",
                ));
                None
            }
        },
    };
    let expires_date = date("expires_date");
    let confirm_timeout_date = date("confirm_timeout_date");
    if expires_date.is_some_and(|d| d <= now) {
        errors.push(FieldError::new(
            "expires_date",
            "La fecha de expiración debe ser futura",
        ));
    }
    let send_email = parse_bool(&signed, "send_email", &mut errors);
    let send_reminders = parse_bool(&signed, "send_reminders", &mut errors);
    for key in ["payer_email", "responsible_user_email"] {
        if signed.param(key).is_some_and(|e| !is_email(e)) {
            errors.push(FieldError::new(key, "Correo electrónico inválido"));
        }
    }
    if send_email {
        for key in ["payer_name", "payer_email"] {
            if signed.param(key).is_none() {
                errors.push(FieldError::new(
                    key,
                    "Es obligatorio cuando send_email es 'true'",
                ));
            }
        }
    }
    if signed.param("contract_url").is_some()
        && signed.param("fixed_payer_personal_identifier").is_none()
    {
        errors.push(FieldError::new(
            "fixed_payer_personal_identifier",
            "Es obligatorio cuando se envía contract_url",
        ));
    }
    if let Some(fee) = signed.param("integrator_fee")
        && let Err(e) = parse_amount("integrator_fee", fee)
    {
        errors.push(e);
    }
    if let Some(bank) = signed.param("bank_id")
        && !BANKS.iter().any(|b| b.0 == bank)
    {
        errors.push(FieldError::new("bank_id", "Banco desconocido"));
    }
    let (Some(subject), Some(currency), Some(amount), true) =
        (subject, currency, amount, errors.is_empty())
    else {
        return validation_response(&errors);
    };

    let origin = sandbox.origin.clone();
    sandbox.update(|store| {
        let id = loop {
            let id = store.ids.lower_alnum(12);
            if !store
                .records
                .get_mut::<KhipuState>()
                .payments
                .contains_key(&id)
            {
                break id;
            }
        };
        let payment = Payment {
            id: id.clone(),
            receiver_id: signed.receiver_id.clone(),
            notification_token: store.ids.alnum(40),
            subject,
            amount,
            currency,
            status: Status::Pending,
            status_detail: "pending",
            body: text("body"),
            picture_url: text("picture_url"),
            return_url: text("return_url"),
            cancel_url: text("cancel_url"),
            notify_api_version: text("notify_api_version")
                .or_else(|| signed.param("notify_url").map(|_| "1.3".to_string())),
            notify_url: text("notify_url"),
            expires_date: expires_date.unwrap_or(now + DEFAULT_EXPIRY),
            transaction_id: text("transaction_id"),
            custom: text("custom"),
            bank_id: text("bank_id"),
            payer_name: text("payer_name"),
            payer_email: text("payer_email"),
            send_email,
            send_reminders,
            responsible_user_email: text("responsible_user_email"),
            fixed_payer_personal_identifier: text("fixed_payer_personal_identifier"),
            confirm_timeout_date,
            conciliation_date: None,
            payment_method: None,
            personal_identifier: None,
            bank_account_number: None,
            refunded: Decimal::ZERO,
            confirmed: false,
        };
        store
            .records
            .get_mut::<KhipuState>()
            .payments
            .insert(id.clone(), payment);
        let urls = urls(&origin, &id);
        let body = json!({
            "payment_id": id,
            "payment_url": urls.payment,
            "simplified_transfer_url": urls.simplified,
            "transfer_url": urls.transfer,
            "app_url": urls.app,
            "ready_for_terminal": false,
            "webpay_url": null,
            "hites_url": null,
            "payme_url": null,
        });
        (json_response(StatusCode::OK, &body), Vec::new())
    })
}

/// Looks a payment up for the receiver that signed the request.
fn find<'a>(store: &'a mut Store, receiver_id: &str, id: &str) -> Option<&'a mut Payment> {
    store
        .records
        .get_mut::<KhipuState>()
        .payments
        .get_mut(id)
        .filter(|p| p.receiver_id == receiver_id)
}

async fn get_payment(
    State(sandbox): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    signed: Signed,
) -> Response {
    let origin = sandbox.origin.clone();
    sandbox.update(|store| {
        let response = match find(store, &signed.receiver_id, &id) {
            Some(p) => json_response(StatusCode::OK, &view(p, &origin)),
            None => not_found_payment(),
        };
        (response, Vec::new())
    })
}

async fn payment_by_token(State(sandbox): State<Arc<Sandbox>>, signed: Signed) -> Response {
    let Some(token) = signed.param("notification_token").map(str::to_string) else {
        return validation_response(&[FieldError::new(
            "notification_token",
            "El token de notificación es obligatorio",
        )]);
    };
    let origin = sandbox.origin.clone();
    sandbox.update(|store| {
        let found = store
            .records
            .get_mut::<KhipuState>()
            .payments
            .values()
            .find(|p| p.notification_token == token && p.receiver_id == signed.receiver_id);
        let response = match found {
            Some(p) => json_response(StatusCode::OK, &view(p, &origin)),
            None => validation_response(&[FieldError::new(
                "notification_token",
                "Token de notificación inválido",
            )]),
        };
        (response, Vec::new())
    })
}

async fn delete_payment(
    State(sandbox): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    signed: Signed,
) -> Response {
    sandbox.update(|store| {
        let response = match find(store, &signed.receiver_id, &id) {
            None => not_found_payment(),
            Some(p) if p.status != Status::Pending || p.status_detail != "pending" => {
                error_response(
                    StatusCode::BAD_REQUEST,
                    "Solo se pueden borrar pagos que estén pendientes de pagar",
                )
            }
            Some(_) => {
                store.records.get_mut::<KhipuState>().payments.remove(&id);
                json_response(StatusCode::OK, &json!({ "message": "Pago borrado" }))
            }
        };
        (response, Vec::new())
    })
}

async fn confirm_payment(
    State(sandbox): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    signed: Signed,
) -> Response {
    sandbox.update(|store| {
        let response = match find(store, &signed.receiver_id, &id) {
            None => not_found_payment(),
            Some(p) if p.status != Status::Done => error_response(
                StatusCode::BAD_REQUEST,
                "Solo se pueden confirmar pagos realizados",
            ),
            Some(p) => {
                p.confirmed = true;
                json_response(
                    StatusCode::OK,
                    &json!({ "message": "Pago confirmado; será rendido al día siguiente" }),
                )
            }
        };
        (response, Vec::new())
    })
}

async fn refund_payment(
    State(sandbox): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    signed: Signed,
) -> Response {
    let requested = match signed
        .param("amount")
        .map(|a| parse_amount("amount", a))
        .transpose()
    {
        Ok(amount) => amount,
        Err(e) => return validation_response(&[e]),
    };
    sandbox.update(|store| {
        let now = store.now();
        let Some(p) = find(store, &signed.receiver_id, &id) else {
            return (not_found_payment(), Vec::new());
        };
        let refundable = p.amount - p.refunded;
        let response = if p.status != Status::Done
            || (p.status_detail == "reversed" && refundable.is_zero())
        {
            error_response(
                StatusCode::BAD_REQUEST,
                "Solo se pueden reembolsar pagos realizados",
            )
        } else if p.confirmed || p.confirm_timeout_date.is_some_and(|d| d <= now) {
            error_response(
                StatusCode::BAD_REQUEST,
                "El pago ya fue rendido; no se puede reembolsar",
            )
        } else {
            let amount = requested.unwrap_or(refundable);
            if amount > refundable {
                validation_response(&[FieldError::new(
                    "amount",
                    format!(
                        "El monto a reembolsar excede el saldo reembolsable ({})",
                        crate::wire::fixed(refundable, 4)
                    ),
                )])
            } else if p.currency == "CLP" && !amount.fract().is_zero() {
                validation_response(&[FieldError::new(
                    "amount",
                    "El peso chileno no admite decimales",
                )])
            } else {
                p.refunded += amount;
                let full = p.refunded == p.amount;
                if full {
                    p.status_detail = "reversed";
                }
                let message = if full {
                    "Reembolso total realizado"
                } else {
                    "Reembolso parcial realizado"
                };
                json_response(StatusCode::OK, &json!({ "message": message }))
            }
        };
        (response, Vec::new())
    })
}

/// The fields `POST /receivers` requires.
const RECEIVER_REQUIRED: [&str; 15] = [
    "admin_first_name",
    "admin_last_name",
    "admin_email",
    "country_code",
    "business_identifier",
    "business_category",
    "business_name",
    "business_phone",
    "business_address_line_1",
    "business_address_line_2",
    "business_address_line_3",
    "contact_full_name",
    "contact_job_title",
    "contact_email",
    "contact_phone",
];

async fn create_receiver(State(sandbox): State<Arc<Sandbox>>, signed: Signed) -> Response {
    let mut errors: Vec<FieldError> = RECEIVER_REQUIRED
        .iter()
        .filter(|key| signed.param(key).is_none())
        .map(|key| FieldError::new(*key, "Es obligatorio"))
        .collect();
    for key in ["admin_email", "contact_email"] {
        if signed.param(key).is_some_and(|e| !is_email(e)) {
            errors.push(FieldError::new(key, "Correo electrónico inválido"));
        }
    }
    if signed
        .param("country_code")
        .is_some_and(|c| c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        errors.push(FieldError::new(
            "country_code",
            "Debe ser un código ISO 3166-1 de dos letras",
        ));
    }
    for key in ["notify_url", "rendition_url"] {
        if signed.param(key).is_some_and(|u| !is_http_url(u)) {
            errors.push(FieldError::new(key, "Debe ser una URL http o https"));
        }
    }
    if !errors.is_empty() {
        return validation_response(&errors);
    }
    sandbox.update(|store| {
        let receiver_id = store
            .records
            .get_mut::<KhipuState>()
            .next_receiver
            .to_string();
        store.records.get_mut::<KhipuState>().next_receiver += 1;
        let secret = store.ids.hex(40);
        store
            .records
            .get_mut::<KhipuState>()
            .receivers
            .insert(receiver_id.clone(), secret.clone());
        (
            json_response(
                StatusCode::OK,
                &json!({ "receiver_id": receiver_id, "secret": secret }),
            ),
            Vec::new(),
        )
    })
}

async fn payment_methods(
    State(sandbox): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    _signed: Signed,
) -> Response {
    if !sandbox
        .store()
        .records
        .get_mut::<KhipuState>()
        .receivers
        .contains_key(&id)
    {
        return error_response(StatusCode::NOT_FOUND, "Cobrador no encontrado");
    }
    let logo = |name: &str| format!("{}/_sandbox/static/{name}.svg", sandbox.origin);
    json_response(
        StatusCode::OK,
        &json!({ "paymentMethods": [
            { "id": "simplified_transfer", "name": "Transferencia simplificada", "logo_url": logo("simplified_transfer") },
            { "id": "regular_transfer", "name": "Transferencia normal", "logo_url": logo("regular_transfer") },
        ]}),
    )
}

// ---------------------------------------------------------------------------------------
// The payer (control API)

/// Acts as the payer on a payment: `verify` (pending → verifying), `pay` (→ done, which
/// sends the notification), `reject` (status_detail `rejected-by-payer`) or `expire`
/// (moves `expires_date` to now, so it can no longer be paid).
pub(crate) fn payer_action(
    store: &mut Store,
    id: &str,
    action: PayerAction,
    _amount: Option<Decimal>,
) -> Result<(ActionOutcome, Vec<Outgoing>), Error> {
    let now = store.now();
    let not_allowed = |message: &str| Error::NotAllowed {
        provider: Provider::Khipu,
        id: id.to_string(),
        message: message.to_string(),
    };
    let payment = store
        .records
        .get_mut::<KhipuState>()
        .payments
        .get_mut(id)
        .ok_or_else(|| Error::NotFound {
            provider: Provider::Khipu,
            id: id.to_string(),
        })?;
    if payment.status == Status::Done {
        return Err(not_allowed("the payment is already done"));
    }
    if payment.status_detail != "pending" {
        return Err(not_allowed(&format!(
            "the payment is {}",
            payment.status_detail
        )));
    }
    if payment.expires_date <= now {
        return Err(not_allowed("the payment has expired"));
    }
    let mut outgoing = Vec::new();
    match action {
        PayerAction::Verify => {
            payment.status = Status::Verifying;
            payment.payment_method = Some("simplified_transfer");
        }
        PayerAction::Pay => {
            payment.status = Status::Done;
            payment.status_detail = "normal";
            payment.conciliation_date = Some(now);
            payment.payment_method.get_or_insert("simplified_transfer");
            payment
                .bank_id
                .get_or_insert_with(|| BANKS[0].0.to_string());
            payment
                .payer_name
                .get_or_insert_with(|| "Pagador Sandbox".to_string());
            payment
                .payer_email
                .get_or_insert_with(|| "pagador@sandbox.test".to_string());
            // A payment with a fixed payer can only be paid by that person.
            payment.personal_identifier = Some(
                payment
                    .fixed_payer_personal_identifier
                    .clone()
                    .unwrap_or_else(|| "11.111.111-1".to_string()),
            );
            payment.bank_account_number = Some("000012345678".to_string());
            if let Some(url) = payment
                .notify_url
                .as_deref()
                .and_then(|u| url::Url::parse(u).ok())
            {
                let body = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair(
                        "api_version",
                        payment.notify_api_version.as_deref().unwrap_or("1.3"),
                    )
                    .append_pair("notification_token", &payment.notification_token)
                    .finish();
                outgoing.push(Outgoing {
                    provider: Provider::Khipu,
                    url,
                    content_type: "application/x-www-form-urlencoded",
                    body: body.into_bytes(),
                    receipt: None,
                });
            }
        }
        PayerAction::Reject => payment.status_detail = "rejected-by-payer",
        PayerAction::Expire => payment.expires_date = now,
    }
    let outcome = ActionOutcome::new(
        Provider::Khipu,
        id,
        format!("{}/{}", payment.status.as_str(), payment.status_detail),
    );
    Ok((outcome, outgoing))
}

/// The checkout page's summary: `(subject, amount, status)`.
pub(crate) fn summary(store: &Store, id: &str) -> Option<(String, String, String)> {
    store.records.get::<KhipuState>().payments.get(id).map(|p| {
        (
            p.subject.clone(),
            format!(
                "{} {}",
                crate::wire::fixed(p.amount, if p.currency == "CLP" { 0 } else { 2 }),
                p.currency
            ),
            format!("{}/{}", p.status.as_str(), p.status_detail),
        )
    })
}

// ---------------------------------------------------------------------------------------
// The simulated provider

/// Khipu REST API 2.0.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Khipu;

impl SimulatedProvider for Khipu {
    fn name(&self) -> &'static str {
        "khipu"
    }

    fn base_path(&self) -> &'static str {
        "/khipu/api/2.0"
    }

    fn records(&self, config: &SandboxConfig) -> Box<dyn Records> {
        Box::new(KhipuState::new(&config.credentials))
    }

    fn router(&self) -> Router<Arc<Sandbox>> {
        router()
    }

    fn act(
        &self,
        store: &mut Store,
        id: &str,
        action: PayerAction,
        amount: Option<Decimal>,
    ) -> Result<Acted, Error> {
        payer_action(store, id, action, amount)
    }

    fn count(&self, store: &Store, counts: &mut RecordCounts) {
        counts.khipu_payments = payment_count(store);
    }

    fn fault_response(
        &self,
        status: StatusCode,
        message: &str,
        _route: &str,
        _now: OffsetDateTime,
    ) -> Response {
        error_response(status, message)
    }

    fn checkout(&self, store: &Store, id: &str) -> Option<Checkout> {
        summary(store, id).map(|(title, amount, status)| Checkout {
            title,
            amount,
            status,
        })
    }
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

    #[test]
    fn amounts_follow_khipu_rules() {
        assert!(parse_amount("amount", "1000").is_ok());
        assert!(parse_amount("amount", "10.1234").is_ok());
        assert!(parse_amount("amount", "10.12345").is_err());
        assert!(parse_amount("amount", "1,000").is_err());
        assert!(parse_amount("amount", "0").is_err());
        assert!(parse_amount("amount", "-5").is_err());
        assert!(parse_amount("amount", "12345678901234567").is_err());
    }
}
