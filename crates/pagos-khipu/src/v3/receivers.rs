//! Child collection accounts of an integrator (a contracted feature):
//! `POST /v3/receivers` and `GET /v3/receivers/children`.
//!
//! The request is API 2.0's [`CreateReceiverRequest`] (the same fields and the same
//! checks), sent as a JSON object of strings. API 3.0's optional `bank_account_type`
//! has no field there yet and cannot be sent.

use std::fmt;

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::{Idempotency, Method};
use pagos_core::{
    BaseUrl, ExposeSecret, Raw, Request, Response, Result, SecretString, ValidationError,
};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{KhipuV3Client, bare_request, json_request, parse_json};
use crate::de;
use crate::receivers::CreateReceiverRequest;

/// The answer to `POST /v3/receivers`: the new account's id, its secret (which signs
/// its webhooks and its API 2.0 calls) and, in Khipu's newest specification, an API
/// key. `Debug` redacts both credentials and the matching members of `raw`.
#[derive(Clone, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CreatedReceiver {
    /// The new receiver's id, as text.
    #[serde(deserialize_with = "de::text")]
    pub receiver_id: String,
    /// The new receiver's secret.
    #[serde(deserialize_with = "secret", serialize_with = "expose")]
    pub secret: SecretString,
    /// The new receiver's API key, when Khipu sends one.
    #[serde(
        default,
        deserialize_with = "opt_secret",
        serialize_with = "opt_expose"
    )]
    pub api_key: Option<SecretString>,
    /// Khipu's answer exactly as received, credentials included.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

impl fmt::Debug for CreatedReceiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedReceiver")
            .field("receiver_id", &self.receiver_id)
            .field("secret", &"[REDACTED]")
            .field("api_key", &self.api_key.as_ref().map(|_| "[REDACTED]"))
            .field("raw", &self.raw)
            .finish()
    }
}

fn secret<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<SecretString, D::Error> {
    String::deserialize(d).map(SecretString::from)
}

fn opt_secret<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<SecretString>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map(SecretString::from))
}

fn expose<S: Serializer>(v: &SecretString, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(v.expose_secret())
}

fn opt_expose<S: Serializer>(
    v: &Option<SecretString>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.serialize_str(v.expose_secret()),
        None => s.serialize_none(),
    }
}

struct Fields<'a>(&'a [(&'static str, String)]);

impl Serialize for Fields<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (*k, v)))
    }
}

/// `POST /v3/receivers`: creates a child collection account. Sent once (a second
/// copy would create a second account).
#[derive(Debug, Clone, Copy)]
pub struct CreateReceiver<'a> {
    request: &'a CreateReceiverRequest,
}

impl<'a> CreateReceiver<'a> {
    /// Creates `request` (validated again when described).
    pub fn new(request: &'a CreateReceiverRequest) -> Self {
        CreateReceiver { request }
    }
}

impl Endpoint for CreateReceiver<'_> {
    type Output = CreatedReceiver;
    const OPERATION: &'static str = "create_receiver";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let form = self.request.to_form()?;
        json_request(
            Method::POST,
            base.join(&["v3", "receivers"])?,
            Self::OPERATION,
            Some(&Fields(&form)),
        )
    }

    fn parse(&self, response: &Response) -> Result<CreatedReceiver> {
        let (mut r, raw): (CreatedReceiver, Raw) = parse_json(response)?;
        r.raw = raw;
        Ok(r)
    }

    fn outcome_hint(&self) -> Option<String> {
        Some("Khipu may have created the account: list GET /v3/receivers/children before creating it again".into())
    }
}

/// How to sort the children.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChildSort {
    /// `id`.
    Id,
    /// `name`.
    Name,
    /// `date_created`.
    DateCreated,
}

/// The query of `GET /v3/receivers/children`; unset members are left to Khipu
/// (offset 0, max 100).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChildrenQuery {
    /// `offset`.
    pub offset: Option<u64>,
    /// `max`.
    pub max: Option<u64>,
    /// `sort`.
    pub sort: Option<ChildSort>,
    /// `order`: `true` for `asc`, `false` for `desc`.
    pub ascending: Option<bool>,
}

impl ChildrenQuery {
    /// No parameters.
    pub fn new() -> Self {
        ChildrenQuery::default()
    }

    /// Sets `offset`.
    pub fn offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }

    /// Sets `max` (1 or more).
    pub fn max(mut self, max: u64) -> Self {
        self.max = Some(max);
        self
    }

    /// Sets `sort`.
    pub fn sort(mut self, sort: ChildSort) -> Self {
        self.sort = Some(sort);
        self
    }

    /// Sets `order` (`asc` when true).
    pub fn ascending(mut self, ascending: bool) -> Self {
        self.ascending = Some(ascending);
        self
    }
}

/// One child account.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ChildReceiver {
    /// Its id, as text.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub id: Option<String>,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// When it was created.
    #[serde(default)]
    pub date_created: Option<String>,
    /// Whether it is disabled.
    #[serde(default)]
    pub disabled: Option<bool>,
    /// Whether it can collect.
    #[serde(default)]
    pub can_collect: Option<bool>,
}

/// The answer to `GET /v3/receivers/children`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ChildReceivers {
    /// How many children there are in all.
    #[serde(default)]
    pub total: Option<u64>,
    /// This page of them.
    #[serde(default, deserialize_with = "de::null_as_default")]
    pub receivers: Vec<ChildReceiver>,
    /// Khipu's answer exactly as received.
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

/// `GET /v3/receivers/children?offset=…&max=…&sort=…&order=…`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListChildren {
    query: ChildrenQuery,
}

impl ListChildren {
    /// Lists with `query`.
    pub fn new(query: ChildrenQuery) -> Self {
        ListChildren { query }
    }
}

impl Endpoint for ListChildren {
    type Output = ChildReceivers;
    const OPERATION: &'static str = "list_receiver_children";
    const IDEMPOTENCY: Idempotency = Idempotency::Read;

    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let q = self.query;
        let mut params: Vec<(&str, String)> = Vec::new();
        if let Some(o) = q.offset {
            params.push(("offset", o.to_string()));
        }
        if let Some(m) = q.max {
            if m == 0 {
                return Err(ValidationError::new("max", "must be at least 1").into());
            }
            params.push(("max", m.to_string()));
        }
        if let Some(s) = q.sort {
            let s = match s {
                ChildSort::Id => "id",
                ChildSort::Name => "name",
                ChildSort::DateCreated => "date_created",
            };
            params.push(("sort", s.to_string()));
        }
        if let Some(a) = q.ascending {
            params.push(("order", if a { "asc" } else { "desc" }.to_string()));
        }
        let url = base.join(&["v3", "receivers", "children"])?;
        Ok(bare_request(Method::GET, url, Self::OPERATION)?.query(&params))
    }

    fn parse(&self, response: &Response) -> Result<ChildReceivers> {
        let (mut c, raw): (ChildReceivers, Raw) = parse_json(response)?;
        c.raw = raw;
        Ok(c)
    }
}

/// The receivers resource. Get one with [`KhipuV3Client::receivers`].
#[derive(Clone, Copy)]
pub struct Receivers<'a> {
    client: &'a KhipuV3Client,
}

impl fmt::Debug for Receivers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Receivers")
    }
}

impl<'a> Receivers<'a> {
    pub(crate) fn new(client: &'a KhipuV3Client) -> Self {
        Receivers { client }
    }

    /// [`CreateReceiver`].
    ///
    /// # Errors
    /// See [`KhipuV3Client::run`].
    pub async fn create(&self, request: &CreateReceiverRequest) -> Result<CreatedReceiver> {
        self.client.run(&CreateReceiver::new(request)).await
    }

    /// [`ListChildren`].
    ///
    /// # Errors
    /// See [`KhipuV3Client::run`].
    pub async fn children(&self, query: ChildrenQuery) -> Result<ChildReceivers> {
        self.client.run(&ListChildren::new(query)).await
    }
}
