//! What a command prints: one JSON document (`--json`) or aligned, human-readable text.
//!
//! Every command returns an [`Output`] holding both forms; `main` prints the one asked
//! for. The JSON form is plain serde of the SDK's typed answer ([`Output::answer`]):
//! its `raw` member writes the provider's answer exactly as received, so amounts keep
//! their digits. Nothing is rebuilt by hand.

use std::fmt::Write as _;
use std::io::Write as _;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// A command's result, in both forms.
#[derive(Debug)]
pub struct Output {
    /// The JSON document (compact text).
    pub json: String,
    /// The human-readable form.
    pub human: Human,
    /// A failure to report after printing (the demo prints its table, then fails).
    pub failure: Option<String>,
}

/// Human-readable output.
#[derive(Debug)]
pub enum Human {
    /// `key  value` lines, keys padded to one column.
    Fields(Vec<(String, String)>),
    /// A table with a header row.
    Table {
        /// Column titles.
        headers: Vec<String>,
        /// Cells, one `Vec` per row.
        rows: Vec<Vec<String>>,
    },
    /// Free text, printed as is.
    Text(String),
    /// Several parts, separated by a blank line.
    Sections(Vec<Human>),
}

impl Output {
    /// An output whose JSON is `raw` (already JSON text, e.g. a provider's answer).
    pub fn raw(raw: impl Into<String>, human: Human) -> Output {
        Output {
            json: raw.into(),
            human,
            failure: None,
        }
    }

    /// An output whose JSON is `value` serialized.
    pub fn value<T: Serialize + ?Sized>(value: &T, human: Human) -> Output {
        let json = serde_json::to_string(value)
            .unwrap_or_else(|e| format!(r#"{{"error":"cannot serialize the output: {e}"}}"#));
        Output {
            json,
            human,
            failure: None,
        }
    }

    /// A typed answer: `--json` is the answer serialized (plain serde; its `raw` field
    /// writes the provider's text as received, so amounts keep their digits), and the
    /// human form is the provider's answer flattened into fields.
    pub fn answer<T: Serialize + ?Sized>(answer: &T, raw: &pagos::Raw) -> Output {
        Output::value(answer, Human::Fields(flatten(raw.get())))
    }

    /// The same output, reported as failed (exit 1) after it is printed.
    pub fn failed(mut self, message: impl Into<String>) -> Output {
        self.failure = Some(message.into());
        self
    }

    /// Writes the chosen form to standard output. A closed pipe is not an error.
    pub fn print(&self, json: bool) {
        let text = if json {
            let mut s = self.json.clone();
            s.push('\n');
            s
        } else {
            self.human.render()
        };
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }
}

impl Human {
    /// The text, ending with a newline.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_into(&mut out);
        out
    }

    fn render_into(&self, out: &mut String) {
        match self {
            Human::Fields(fields) => {
                let width = fields
                    .iter()
                    .map(|(k, _)| k.chars().count())
                    .max()
                    .unwrap_or(0);
                for (k, v) in fields {
                    let _ = writeln!(out, "{k:<width$}  {v}");
                }
                if fields.is_empty() {
                    out.push_str("(nothing)\n");
                }
            }
            Human::Table { headers, rows } => render_table(out, headers, rows),
            Human::Text(text) => {
                out.push_str(text);
                if !text.ends_with('\n') {
                    out.push('\n');
                }
            }
            Human::Sections(parts) => {
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        out.push('\n');
                    }
                    part.render_into(out);
                }
            }
        }
    }
}

fn render_table(out: &mut String, headers: &[String], rows: &[Vec<String>]) {
    let columns = headers.len();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(columns) {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |out: &mut String, cells: &[String]| {
        let mut text = String::new();
        for (i, width) in widths.iter().enumerate() {
            let cell = cells.get(i).map(String::as_str).unwrap_or("");
            if i + 1 == columns {
                text.push_str(cell);
            } else {
                let _ = write!(text, "{cell:<width$}  ");
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(out, headers);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(out, &rule);
    for row in rows {
        line(out, row);
    }
    if rows.is_empty() {
        out.push_str("(no rows)\n");
    }
}

/// A JSON object read with its members in document order, each member's value kept
/// as raw text (so numbers keep their exact digits).
struct OrderedObject(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for OrderedObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OrderedObject;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OrderedObject, A::Error> {
                let mut members = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Box<RawValue>>()? {
                    members.push((k, v));
                }
                Ok(OrderedObject(members))
            }
        }
        d.deserialize_map(V)
    }
}

/// Flattens a JSON document into `(path, value)` pairs: `customer.name`,
/// `payment.instructions[0].description`. Object members keep their order; numbers
/// keep their exact text; strings are shown without quotes; empty objects and arrays
/// are shown as `{}` and `[]`. Text that is not JSON is returned as one `body` field.
pub fn flatten(json: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match serde_json::from_str::<Box<RawValue>>(json) {
        Ok(raw) => flatten_into(&mut out, String::new(), &raw),
        Err(_) => out.push(("body".to_string(), json.to_string())),
    }
    out
}

fn flatten_into(out: &mut Vec<(String, String)>, path: String, raw: &RawValue) {
    let text = raw.get().trim();
    let key = |p: &str| {
        if p.is_empty() {
            "value".to_string()
        } else {
            p.to_string()
        }
    };
    if text.starts_with('{') {
        match serde_json::from_str::<OrderedObject>(text) {
            Ok(OrderedObject(members)) if !members.is_empty() => {
                for (k, v) in members {
                    let sub = if path.is_empty() {
                        k
                    } else {
                        format!("{path}.{k}")
                    };
                    flatten_into(out, sub, &v);
                }
            }
            _ => out.push((key(&path), "{}".to_string())),
        }
    } else if text.starts_with('[') {
        match serde_json::from_str::<Vec<Box<RawValue>>>(text) {
            Ok(items) if !items.is_empty() => {
                for (i, v) in items.iter().enumerate() {
                    flatten_into(out, format!("{path}[{i}]"), v);
                }
            }
            _ => out.push((key(&path), "[]".to_string())),
        }
    } else if text.starts_with('"') {
        let s: String = serde_json::from_str(text).unwrap_or_else(|_| text.to_string());
        out.push((key(&path), s));
    } else {
        out.push((key(&path), text.to_string()));
    }
}

/// The value at a flattened `path` of a JSON document, `""` when absent.
pub fn field(flat: &[(String, String)], path: &str) -> String {
    flat.iter()
        .find(|(k, _)| k == path)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// A table of JSON items (raw texts), one row per item, one column per `(title, path)`.
pub fn table_of(items: &[String], columns: &[(&str, &str)]) -> Human {
    let headers = columns.iter().map(|(t, _)| t.to_string()).collect();
    let rows = items
        .iter()
        .map(|item| {
            let flat = flatten(item);
            columns.iter().map(|(_, p)| field(&flat, p)).collect()
        })
        .collect();
    Human::Table { headers, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flatten_keeps_order_and_exact_numbers() {
        let flat = flatten(
            r#"{"id":"inv_1","amount":15.00,"customer":{"name":"JUAN","tags":[]},"items":[{"n":1},{"n":2.50}],"meta":{},"x":null}"#,
        );
        let pairs: Vec<(&str, &str)> = flat.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            pairs,
            vec![
                ("id", "inv_1"),
                ("amount", "15.00"),
                ("customer.name", "JUAN"),
                ("customer.tags", "[]"),
                ("items[0].n", "1"),
                ("items[1].n", "2.50"),
                ("meta", "{}"),
                ("x", "null"),
            ]
        );
        assert_eq!(
            flatten("<html>"),
            vec![("body".to_string(), "<html>".to_string())]
        );
    }

    #[test]
    fn tables_align() {
        let human = table_of(
            &[
                r#"{"id":"a","s":"paid"}"#.to_string(),
                r#"{"id":"bbbb"}"#.to_string(),
            ],
            &[("ID", "id"), ("STATUS", "s")],
        );
        assert_eq!(
            human.render(),
            "ID    STATUS\n----  ------\na     paid\nbbbb\n"
        );
    }
}
