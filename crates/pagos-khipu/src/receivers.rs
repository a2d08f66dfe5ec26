//! Receivers: `POST /receivers` ("Crear una nueva cuenta de cobro", `receiversPost` in
//! Khipu's REST API 2.0 reference): creating collection accounts under an integrator.

use std::fmt;

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::{Idempotency, Method};
use pagos_core::{
    BaseUrl, Error, ExposeSecret, Raw, Request, Response, Result, SecretString, ValidationError,
    validate,
};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::client::KhipuClient;
use crate::de;
use crate::request::form_request;

/// Khipu's answer to `POST /receivers` (`ReceiversCreateResponse` in the API reference).
///
/// The new account's `secret` signs its requests: it is a [`SecretString`], and `Debug`
/// shows `[REDACTED]` for it and for the `secret` member of [`raw`](Self::raw) (the
/// core [`Raw`]'s `Debug` redacts credential-like members, `secret` among them).
/// Serializing the answer writes the secret: it is what the answer is for, so keep
/// what you serialize it into safe.
#[derive(Clone, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ReceiversCreateResponse {
    /// The new receiver's id, as text.
    #[serde(deserialize_with = "de::text")]
    pub receiver_id: String,
    /// The new receiver's secret.
    #[serde(deserialize_with = "secret", serialize_with = "expose")]
    pub secret: SecretString,
    /// Khipu's answer exactly as received, secret included (`null` for a value
    /// decoded by hand).
    #[serde(skip_deserializing)]
    pub raw: Raw,
}

fn secret<'de, D: Deserializer<'de>>(d: D) -> Result<SecretString, D::Error> {
    String::deserialize(d).map(SecretString::from)
}

fn expose<S: Serializer>(secret: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(secret.expose_secret())
}

impl fmt::Debug for ReceiversCreateResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceiversCreateResponse")
            .field("receiver_id", &self.receiver_id)
            .field("secret", &"[REDACTED]")
            .field("raw", &self.raw)
            .finish()
    }
}

/// The form parameters of `POST /receivers`. Built with
/// [`CreateReceiverRequest::builder`]; every field but the `bank_account_*`,
/// `notify_url` and `rendition_url` ones is required by Khipu's REST API 2.0
/// reference.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreateReceiverRequest {
    /// `admin_first_name`: the account administrator's first name.
    pub admin_first_name: String,
    /// `admin_last_name`: the administrator's last name.
    pub admin_last_name: String,
    /// `admin_email`: the administrator's e-mail.
    pub admin_email: String,
    /// `country_code`: ISO 3166-1 alpha-2 country of the account (e.g. `CL`).
    pub country_code: String,
    /// `business_identifier`: the merchant's tax id (a RUT in Chile).
    pub business_identifier: String,
    /// `business_category`: the merchant's tax category or line of business.
    pub business_category: String,
    /// `business_name`: the merchant's legal name.
    pub business_name: String,
    /// `business_phone`: the merchant's phone.
    pub business_phone: String,
    /// `business_address_line_1`.
    pub business_address_line_1: String,
    /// `business_address_line_2`.
    pub business_address_line_2: String,
    /// `business_address_line_3`.
    pub business_address_line_3: String,
    /// `contact_full_name`: the merchant's contact.
    pub contact_full_name: String,
    /// `contact_job_title`: the contact's job title.
    pub contact_job_title: String,
    /// `contact_email`: the contact's e-mail.
    pub contact_email: String,
    /// `contact_phone`: the contact's phone.
    pub contact_phone: String,
    /// `bank_account_bank_id`: the bank of the account that receives the funds.
    pub bank_account_bank_id: Option<String>,
    /// `bank_account_identifier`: the personal id of that account's owner (a RUT in Chile).
    pub bank_account_identifier: Option<String>,
    /// `bank_account_name`: the account's name.
    pub bank_account_name: Option<String>,
    /// `bank_account_number`: the account number.
    pub bank_account_number: Option<String>,
    /// `notify_url`: the default payment-notification web service.
    pub notify_url: Option<String>,
    /// `rendition_url`: the settlement-notification web service.
    pub rendition_url: Option<String>,
}

impl CreateReceiverRequest {
    /// Starts a builder; [`build`](CreateReceiverRequestBuilder::build) checks that every
    /// required field was set.
    pub fn builder() -> CreateReceiverRequestBuilder {
        CreateReceiverRequestBuilder::default()
    }

    fn is_chilean(&self) -> bool {
        self.country_code.trim().eq_ignore_ascii_case("CL")
    }

    /// Checks every field without any I/O: required fields not blank, e-mails well
    /// formed, `country_code` two letters, URLs `http(s)`, optional fields not blank when
    /// set. When `country_code` is `CL`, `business_identifier` and
    /// `bank_account_identifier` must be valid RUTs (Chilean tax and personal ids are
    /// RUTs); in other countries their format is not checked.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the first bad field (wire names).
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.to_form().map(|_| ())
    }

    /// Validates and returns the form parameters exactly as sent (and signed), in the
    /// API reference's order, absent optional fields left out.
    ///
    /// # Errors
    /// As [`validate`](Self::validate).
    pub fn to_form(&self) -> Result<Vec<(&'static str, String)>, ValidationError> {
        let required: [(&'static str, &String); 15] = [
            ("admin_first_name", &self.admin_first_name),
            ("admin_last_name", &self.admin_last_name),
            ("admin_email", &self.admin_email),
            ("country_code", &self.country_code),
            ("business_identifier", &self.business_identifier),
            ("business_category", &self.business_category),
            ("business_name", &self.business_name),
            ("business_phone", &self.business_phone),
            ("business_address_line_1", &self.business_address_line_1),
            ("business_address_line_2", &self.business_address_line_2),
            ("business_address_line_3", &self.business_address_line_3),
            ("contact_full_name", &self.contact_full_name),
            ("contact_job_title", &self.contact_job_title),
            ("contact_email", &self.contact_email),
            ("contact_phone", &self.contact_phone),
        ];
        for (field, value) in required {
            validate::non_empty(field, value)?;
        }
        validate::email("admin_email", &self.admin_email)?;
        validate::email("contact_email", &self.contact_email)?;
        let cc = &self.country_code;
        if cc.len() != 2 || !cc.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(ValidationError::new(
                "country_code",
                format!("{cc:?} is not a two-letter ISO 3166-1 country code"),
            ));
        }
        let optional: [(&'static str, &Option<String>); 6] = [
            ("bank_account_bank_id", &self.bank_account_bank_id),
            ("bank_account_identifier", &self.bank_account_identifier),
            ("bank_account_name", &self.bank_account_name),
            ("bank_account_number", &self.bank_account_number),
            ("notify_url", &self.notify_url),
            ("rendition_url", &self.rendition_url),
        ];
        for (field, value) in optional {
            if let Some(v) = value {
                validate::non_empty(field, v)?;
            }
        }
        for (field, value) in [
            ("notify_url", &self.notify_url),
            ("rendition_url", &self.rendition_url),
        ] {
            if let Some(v) = value {
                validate::http_url(field, v)?;
            }
        }
        if self.is_chilean() {
            validate::rut("business_identifier", &self.business_identifier)?;
            if let Some(id) = &self.bank_account_identifier {
                validate::rut("bank_account_identifier", id)?;
            }
        }
        Ok(required
            .into_iter()
            .map(|(k, v)| (k, v.clone()))
            .chain(
                optional
                    .into_iter()
                    .filter_map(|(k, v)| v.clone().map(|v| (k, v))),
            )
            .collect())
    }
}

/// Builder for [`CreateReceiverRequest`].
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct CreateReceiverRequestBuilder {
    admin_first_name: Option<String>,
    admin_last_name: Option<String>,
    admin_email: Option<String>,
    country_code: Option<String>,
    business_identifier: Option<String>,
    business_category: Option<String>,
    business_name: Option<String>,
    business_phone: Option<String>,
    business_address_line_1: Option<String>,
    business_address_line_2: Option<String>,
    business_address_line_3: Option<String>,
    contact_full_name: Option<String>,
    contact_job_title: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    bank_account_bank_id: Option<String>,
    bank_account_identifier: Option<String>,
    bank_account_name: Option<String>,
    bank_account_number: Option<String>,
    notify_url: Option<String>,
    rendition_url: Option<String>,
}

macro_rules! setters {
    ($($name:ident),* $(,)?) => {
        $(
            #[doc = concat!("Sets `", stringify!($name), "`.")]
            pub fn $name(mut self, value: impl Into<String>) -> Self {
                self.$name = Some(value.into());
                self
            }
        )*
    };
}

impl CreateReceiverRequestBuilder {
    setters!(
        admin_first_name,
        admin_last_name,
        admin_email,
        country_code,
        business_identifier,
        business_category,
        business_name,
        business_phone,
        business_address_line_1,
        business_address_line_2,
        business_address_line_3,
        contact_full_name,
        contact_job_title,
        contact_email,
        contact_phone,
        bank_account_bank_id,
        bank_account_identifier,
        bank_account_name,
        bank_account_number,
        notify_url,
        rendition_url,
    );

    /// Checks that every required field is set and valid, and returns the request.
    ///
    /// # Errors
    /// [`Error::Validation`] naming the first missing or bad field.
    pub fn build(self) -> Result<CreateReceiverRequest, Error> {
        fn req(field: &'static str, v: Option<String>) -> Result<String, ValidationError> {
            v.ok_or_else(|| ValidationError::new(field, "is required"))
        }
        let request = CreateReceiverRequest {
            admin_first_name: req("admin_first_name", self.admin_first_name)?,
            admin_last_name: req("admin_last_name", self.admin_last_name)?,
            admin_email: req("admin_email", self.admin_email)?,
            country_code: req("country_code", self.country_code)?,
            business_identifier: req("business_identifier", self.business_identifier)?,
            business_category: req("business_category", self.business_category)?,
            business_name: req("business_name", self.business_name)?,
            business_phone: req("business_phone", self.business_phone)?,
            business_address_line_1: req("business_address_line_1", self.business_address_line_1)?,
            business_address_line_2: req("business_address_line_2", self.business_address_line_2)?,
            business_address_line_3: req("business_address_line_3", self.business_address_line_3)?,
            contact_full_name: req("contact_full_name", self.contact_full_name)?,
            contact_job_title: req("contact_job_title", self.contact_job_title)?,
            contact_email: req("contact_email", self.contact_email)?,
            contact_phone: req("contact_phone", self.contact_phone)?,
            bank_account_bank_id: self.bank_account_bank_id,
            bank_account_identifier: self.bank_account_identifier,
            bank_account_name: self.bank_account_name,
            bank_account_number: self.bank_account_number,
            notify_url: self.notify_url,
            rendition_url: self.rendition_url,
        };
        request.validate()?;
        Ok(request)
    }
}

/// `POST /receivers`: creates a receiver (collection account), signed with the
/// integrator's credentials. Sent once, never retried after it may have reached Khipu:
/// a second copy would create a second account with its own secret.
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
    type Output = ReceiversCreateResponse;
    const OPERATION: &'static str = "create_receiver";
    const IDEMPOTENCY: Idempotency = Idempotency::NonIdempotent;

    /// # Errors
    /// [`Error::Validation`] naming the first bad field (see
    /// [`CreateReceiverRequest::validate`]).
    fn request(&self, base: &BaseUrl) -> Result<Request> {
        let form = self.request.to_form()?;
        let none: &[(&str, &str)] = &[];
        let url = base.join(&["receivers"])?;
        Ok(form_request(
            Method::POST,
            url,
            Self::OPERATION,
            none,
            &form,
        )?)
    }

    fn parse(&self, response: &Response) -> Result<ReceiversCreateResponse> {
        let (mut created, raw): (ReceiversCreateResponse, Raw) = response.json_with_raw()?;
        created.raw = raw;
        Ok(created)
    }
}

/// The receivers resource. Get one with [`KhipuClient::receivers`].
#[derive(Debug, Clone, Copy)]
pub struct Receivers<'a> {
    client: &'a KhipuClient,
}

impl<'a> Receivers<'a> {
    pub(crate) fn new(client: &'a KhipuClient) -> Self {
        Receivers { client }
    }

    /// Creates a receiver ([`CreateReceiver`]).
    ///
    /// # Errors
    /// [`Error::Validation`] before sending; otherwise see [`Error`].
    pub async fn create(&self, request: &CreateReceiverRequest) -> Result<ReceiversCreateResponse> {
        self.client.run(&CreateReceiver::new(request)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn full() -> CreateReceiverRequestBuilder {
        CreateReceiverRequest::builder()
            .admin_first_name("Ana")
            .admin_last_name("Pérez")
            .admin_email("ana@comercio.cl")
            .country_code("CL")
            .business_identifier("76.086.428-5")
            .business_category("Comercio")
            .business_name("Comercio SpA")
            .business_phone("+56 2 2345 6789")
            .business_address_line_1("Av. Siempre Viva 742")
            .business_address_line_2("Of. 1")
            .business_address_line_3("Santiago")
            .contact_full_name("Juan Soto")
            .contact_job_title("Gerente")
            .contact_email("juan@comercio.cl")
            .contact_phone("+56912345678")
    }

    fn field(r: Result<CreateReceiverRequest>) -> String {
        match r {
            Err(Error::Validation(v)) => v.field().to_string(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn required_fields_and_formats() {
        assert!(full().build().is_ok());
        assert_eq!(
            field(CreateReceiverRequest::builder().build()),
            "admin_first_name"
        );
        assert_eq!(field(full().contact_phone(" ").build()), "contact_phone");
        assert_eq!(
            field(full().business_address_line_3("").build()),
            "business_address_line_3"
        );
        assert_eq!(field(full().admin_email("x").build()), "admin_email");
        assert_eq!(field(full().contact_email("x@y").build()), "contact_email");
        assert_eq!(field(full().country_code("CHL").build()), "country_code");
        assert_eq!(
            field(full().business_identifier("76086428-4").build()),
            "business_identifier"
        );
        assert_eq!(
            field(full().bank_account_identifier("1-2").build()),
            "bank_account_identifier"
        );
        assert_eq!(field(full().notify_url("x").build()), "notify_url");
        assert_eq!(
            field(full().rendition_url("ftp://x.cl").build()),
            "rendition_url"
        );
        assert_eq!(
            field(full().bank_account_number("").build()),
            "bank_account_number"
        );
        // Outside Chile the tax id format is not checked.
        assert!(
            full()
                .country_code("AR")
                .business_identifier("20-26756539-3")
                .build()
                .is_ok()
        );
    }

    #[test]
    fn form_keeps_seed_order() {
        let form = full()
            .rendition_url("https://c.cl/r")
            .bank_account_bank_id("SDdGj")
            .build()
            .unwrap()
            .to_form()
            .unwrap();
        assert_eq!(form.len(), 17);
        assert_eq!(form[0].0, "admin_first_name");
        assert_eq!(form[14].0, "contact_phone");
        assert_eq!(form[15], ("bank_account_bank_id", "SDdGj".to_string()));
        assert_eq!(form[16], ("rendition_url", "https://c.cl/r".to_string()));
    }

    #[test]
    fn response_secret_is_redacted() {
        let r: ReceiversCreateResponse =
            serde_json::from_str(r#"{"receiver_id": 4321, "secret": "s3cr3t-value"}"#).unwrap();
        assert_eq!(r.receiver_id, "4321");
        assert_eq!(r.secret.expose_secret(), "s3cr3t-value");
        let dbg = format!("{r:?}");
        assert!(
            !dbg.contains("s3cr3t-value") && dbg.contains("[REDACTED]"),
            "{dbg}"
        );
    }
}
