//! `GET v2/whitelabel/statics/{period}`.

use pagos_core::endpoint::Endpoint;
use pagos_core::transport::Idempotency;
use pagos_telepagos::statistics::GetStatistics;

use crate::{STATISTICS, Script, assert_get, authorized, parse, validation_field};

#[tokio::test]
async fn statistics_are_read() {
    let endpoint = GetStatistics::new("2024-03");
    let request = authorized(&endpoint).await;
    assert_get(&request, "whitelabel/statics/2024-03");
    assert_eq!(GetStatistics::IDEMPOTENCY, Idempotency::Read);

    let s = parse(&endpoint, STATISTICS).unwrap();
    assert_eq!(s.status.as_deref(), Some("ok"));
    assert_eq!(s.count_open_cvu, Some(0));
    assert_eq!(s.total_cashout, None);
    assert_eq!(s.total_cashin, None);
    assert_eq!(s.count_payments_services, Some(0));
    assert_eq!(s.count_sent_sms, Some(0));
    // The whole answer, as TelePagos sent it (the API document's example, line breaks
    // included).
    assert_eq!(s.raw.get(), STATISTICS.trim());
    assert!(s.raw.get().contains(r#"[{"count_sent_sms":0}]"#));

    let script = Script::new();
    script.answer("GET", "whitelabel/statics/2024-03", 200, STATISTICS);
    assert_eq!(script.client.statistics().get("2024-03").await.unwrap(), s);
}

#[test]
fn statistics_amounts_are_exact() {
    let body = r#"{"status":"ok","data":[[{"count_open_cvu":2}],[{"total_cashout":"0.10","total_cashin":12345.67}]]}"#;
    let s = parse(&GetStatistics::new("month"), body).unwrap();
    assert_eq!(s.total_cashout.unwrap().to_string(), "0.10");
    assert_eq!(s.total_cashin.unwrap().to_string(), "12345.67");
    assert_eq!(s.count_sent_sms, None);
    // Serialized with the same digits.
    let json = serde_json::to_string(&s).unwrap();
    assert!(json.contains(r#""total_cashout":0.10"#), "{json}");
    assert!(json.contains(r#""total_cashin":12345.67"#), "{json}");
}

#[tokio::test]
async fn periods_cannot_change_the_path() {
    let script = Script::new();
    for period in ["", "..", "a\u{0}b"] {
        assert_eq!(
            validation_field(script.client.statistics().get(period).await.unwrap_err()),
            "period"
        );
    }
    assert!(script.sent().is_empty());
    // Any other text is one percent-encoded segment.
    let request = authorized(&GetStatistics::new("2024/03")).await;
    assert_eq!(request.url().path(), "/v2/whitelabel/statics/2024%2F03");
}
