//! Redaction of credentials in answer bodies before an error or a log keeps them.
//!
//! Errors keep the provider's raw answer so that a caller can see what it said, but
//! some answers carry a credential: a token endpoint's answer is the session token,
//! Khipu's receiver creation returns the new receiver's signing secret. Every body an
//! error keeps goes through [`body`] first. It works on the text as received (no
//! re-serialization, so amounts and key order stay as the provider wrote them) and
//! replaces the value of every field whose name looks like a credential.

/// Substrings that mark a field name as a credential (compared case-insensitively,
/// with `-` and `_` ignored, so `api_key`, `apiKey` and `Api-Key` all match).
const SENSITIVE: &[&str] = &[
    "token",
    "secret",
    "password",
    "passwd",
    "apikey",
    "authorization",
    "privatekey",
    "credential",
    "sessionid",
    "cookie",
];

/// What replaces a redacted value.
pub const REDACTED: &str = "[REDACTED]";

/// Whether a field name looks like it holds a credential.
///
/// ```
/// use pagos_core::redact;
/// assert!(redact::is_sensitive_name("access_token"));
/// assert!(redact::is_sensitive_name("apiKey"));
/// assert!(redact::is_sensitive_name("X-Api-Key"));
/// assert!(!redact::is_sensitive_name("amount"));
/// ```
pub fn is_sensitive_name(name: &str) -> bool {
    let folded: String = name
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    SENSITIVE.iter().any(|s| folded.contains(s))
}

/// The body with the value of every credential-like field replaced by
/// [`REDACTED`]: JSON members (`"token": "..."`, at any depth, whatever the value's
/// type) and form or query pairs (`token=...`). Anything else is left as it was.
/// Total over any input: malformed or truncated JSON is redacted as far as it goes.
///
/// ```
/// use pagos_core::redact;
/// assert_eq!(
///     redact::body(r#"{"token":"eyJhbGci","expires_at":1700000000}"#),
///     r#"{"token":"[REDACTED]","expires_at":1700000000}"#
/// );
/// assert_eq!(redact::body("user=a&password=hunter2&x=1"), "user=a&password=[REDACTED]&x=1");
/// assert_eq!(redact::body(r#"{"amount":1500.50}"#), r#"{"amount":1500.50}"#);
/// ```
pub fn body(text: &str) -> String {
    let json = redact_json(text);
    redact_pairs(&json)
}

/// Every double-quoted run of `text` replaced by `"[REDACTED]"`: for messages that
/// quote values (serde's `invalid type: string "…"`) about a body that holds a
/// credential.
///
/// ```
/// use pagos_core::redact;
/// assert_eq!(
///     redact::quoted(r#"invalid type: string "s3cr3t", expected u64 at line 1"#),
///     r#"invalid type: string "[REDACTED]", expected u64 at line 1"#
/// );
/// ```
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut inside = false;
    for c in text.chars() {
        if c == '"' {
            if !inside {
                out.push('"');
                out.push_str(REDACTED);
            }
            inside = !inside;
            if !inside {
                out.push('"');
            }
        } else if !inside {
            out.push(c);
        }
    }
    out
}

/// Redacts JSON members whose key is sensitive, scanning the text once.
fn redact_json(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c != '"' {
            out.push(c);
            i += 1;
            continue;
        }
        let end = string_end(&chars, i);
        let key: String = chars
            .get(i + 1..end.saturating_sub(1).max(i + 1))
            .map_or_else(String::new, |s| s.iter().collect());
        push_range(&mut out, &chars, i, end);
        i = end;
        // A key is a string followed by `:`.
        let mut j = i;
        while chars.get(j).is_some_and(|c| c.is_whitespace()) {
            j += 1;
        }
        if chars.get(j) != Some(&':') || !is_sensitive_name(&key) {
            continue;
        }
        j += 1;
        while chars.get(j).is_some_and(|c| c.is_whitespace()) {
            j += 1;
        }
        push_range(&mut out, &chars, i, j);
        let value_end = value_end(&chars, j);
        if value_end > j {
            out.push('"');
            out.push_str(REDACTED);
            out.push('"');
        }
        i = value_end;
    }
    out
}

fn push_range(out: &mut String, chars: &[char], from: usize, to: usize) {
    if let Some(slice) = chars.get(from..to) {
        out.extend(slice);
    }
}

/// The index just past the string that starts at `start` (a `"`), or the end of
/// the text when it is unterminated.
fn string_end(chars: &[char], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(&c) = chars.get(i) {
        match c {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    chars.len()
}

/// The index just past the JSON value that starts at `start`.
fn value_end(chars: &[char], start: usize) -> usize {
    match chars.get(start) {
        None => start,
        Some('"') => string_end(chars, start),
        Some('{' | '[') => {
            let mut depth = 0usize;
            let mut i = start;
            while let Some(&c) = chars.get(i) {
                match c {
                    '"' => {
                        i = string_end(chars, i);
                        continue;
                    }
                    '{' | '[' => depth += 1,
                    '}' | ']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return i + 1;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            chars.len()
        }
        Some(_) => {
            let mut i = start;
            while chars
                .get(i)
                .is_some_and(|c| !matches!(c, ',' | '}' | ']') && !c.is_whitespace())
            {
                i += 1;
            }
            i
        }
    }
}

/// Redacts `name=value` pairs (form bodies, query strings, `key=value` text) whose
/// name is sensitive; the value runs to the next `&`, `;`, `,`, quote or white space.
fn redact_pairs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(eq) = rest.find('=') {
        let (before, after) = rest.split_at(eq);
        let name_start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
            .map_or(0, |i| {
                i + before
                    .get(i..)
                    .and_then(|s| s.chars().next())
                    .map_or(1, char::len_utf8)
            });
        let name = before.get(name_start..).unwrap_or_default();
        out.push_str(before);
        out.push('=');
        let value = after.get(1..).unwrap_or_default();
        let value_len = value
            .find(|c: char| matches!(c, '&' | ';' | ',' | '"' | '\'' | '<') || c.is_whitespace())
            .unwrap_or(value.len());
        if !name.is_empty() && value_len > 0 && is_sensitive_name(name) {
            out.push_str(REDACTED);
        } else {
            out.push_str(value.get(..value_len).unwrap_or_default());
        }
        rest = value.get(value_len..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_members_at_any_depth_and_of_any_type() {
        let cases = [
            (r#"{"token":"abc"}"#, r#"{"token":"[REDACTED]"}"#),
            (
                r#"{ "data" : { "access_token" : "abc", "n": 1 } }"#,
                r#"{ "data" : { "access_token" : "[REDACTED]", "n": 1 } }"#,
            ),
            (r#"{"secret":12345}"#, r#"{"secret":"[REDACTED]"}"#),
            (
                r#"{"apiKey":{"a":"b"},"x":2}"#,
                r#"{"apiKey":"[REDACTED]","x":2}"#,
            ),
            (
                r#"{"receiver_id":985101,"secret":"s3cr3t\"x"}"#,
                r#"{"receiver_id":985101,"secret":"[REDACTED]"}"#,
            ),
            (r#"{"password": null}"#, r#"{"password": "[REDACTED]"}"#),
            // Values that only look like keys are left alone.
            (r#"["token","x"]"#, r#"["token","x"]"#),
            (
                r#"{"message":"token expired"}"#,
                r#"{"message":"token expired"}"#,
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(body(input), expected, "{input}");
        }
    }

    #[test]
    fn truncated_and_malformed_bodies_are_redacted_as_far_as_they_go() {
        assert_eq!(body(r#"{"token":"eyJhbG"#), r#"{"token":"[REDACTED]""#);
        assert_eq!(body(r#"{"token":"#), r#"{"token":"#);
        assert_eq!(body(r#"{"token""#), r#"{"token""#);
        assert_eq!(body("\"\\"), "\"\\");
        assert_eq!(body("="), "=");
        assert_eq!(body("é=ü&token=á"), "é=ü&token=[REDACTED]");
    }

    #[test]
    fn exact_text_is_kept_outside_redacted_values() {
        let text = r#"{"amount":1500.50,"big":123456789012345678901234567890,"token":"t"}"#;
        assert_eq!(
            body(text),
            r#"{"amount":1500.50,"big":123456789012345678901234567890,"token":"[REDACTED]"}"#
        );
    }
}
