//! How TelePagos records are rendered beyond plain JSON: EMVCo QR payloads, the cash-out
//! voucher PDF, and the checkout page's summary.

use rust_decimal::Decimal;

use super::state::{CONCEPTS, Cashout, PayableKind, PayableStatus, TelePagosState, parse_id};
use crate::simulated::Checkout;
use crate::wire::{LOCAL_SPACE, fixed, format_time};

/// The checkout page's summary: what kind of payable, its amount and status.
pub(super) fn checkout(telepagos: &TelePagosState, id: &str) -> Option<Checkout> {
    let n = parse_id(id)?;
    telepagos.payables.iter().find(|p| p.id == n).map(|p| {
        let title = match p.kind {
            PayableKind::Qr | PayableKind::StaticQr { .. } => "Cobro con QR",
            PayableKind::Link { .. } => "Link de pago",
            PayableKind::Transfer => "Transferencia",
        };
        let status = match p.status {
            PayableStatus::Open => "open",
            PayableStatus::Paid => "paid",
            PayableStatus::Expired => "expired",
        };
        Checkout {
            title: title.to_string(),
            amount: format!("$ {} ARS", fixed(p.amount, 2)),
            status: status.to_string(),
        }
    })
}

/// The PDF voucher of a cash-out (`GET v2/payment/cashout/{id}`).
pub(super) fn voucher(c: &Cashout) -> Vec<u8> {
    let concept_name = CONCEPTS
        .iter()
        .find(|(code, _)| *code == c.concept)
        .map_or("Varios", |(_, n)| n);
    let lines = [
        "TelePagos - Comprobante de transferencia".to_string(),
        format!("Operacion N. {}", c.id),
        format!("Fecha: {} UTC", format_time(c.created, LOCAL_SPACE)),
        format!("Importe: $ {}", fixed(c.amount, 2)),
        format!("CVU/CBU destino: {}", c.cvu),
        format!("CUIT destino: {}", c.cuit),
        format!("Concepto: {} ({concept_name})", c.concept),
        format!("Descripcion: {}", c.description.as_deref().unwrap_or("-")),
        "Documento emitido por pagos-sandbox: sin validez".to_string(),
    ];
    voucher_pdf(&lines)
}

/// CRC-16/CCITT-FALSE, the checksum of EMVCo QR payloads.
fn crc16(data: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for byte in data {
        crc ^= u16::from(*byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

fn tlv(tag: &str, value: &str) -> String {
    format!("{tag}{:02}{value}", value.len())
}

/// An EMVCo merchant-presented QR payload (dynamic when it carries an amount).
pub(super) fn emv_qr(merchant: &str, amount: Option<Decimal>, reference: &str) -> String {
    let mut payload = tlv("00", "01");
    payload.push_str(&tlv("01", if amount.is_some() { "12" } else { "11" }));
    payload.push_str(&tlv(
        "43",
        &(tlv("00", "ar.com.telepagos") + &tlv("01", merchant)),
    ));
    payload.push_str(&tlv("52", "0000"));
    payload.push_str(&tlv("53", "032"));
    if let Some(amount) = amount {
        payload.push_str(&tlv("54", &fixed(amount, 2)));
    }
    payload.push_str(&tlv("58", "AR"));
    payload.push_str(&tlv("59", "PAGOS SANDBOX"));
    payload.push_str(&tlv("60", "CABA"));
    payload.push_str(&tlv("62", &tlv("05", reference)));
    payload.push_str("6304");
    let crc = crc16(payload.as_bytes());
    format!("{payload}{crc:04X}")
}

pub(super) fn emv_static_qr(merchant: &str) -> String {
    emv_qr(merchant, None, merchant)
}

/// A one-page PDF with the given lines (ASCII), with a correct cross-reference table.
fn voucher_pdf(lines: &[String]) -> Vec<u8> {
    let escape = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii() && !c.is_ascii_control() {
                    c
                } else {
                    '?'
                }
            })
            .collect::<String>()
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)")
    };
    let mut content = String::from("BT /F1 11 Tf 40 360 Td 16 TL\n");
    for line in lines {
        content.push_str(&format!("({}) Tj T*\n", escape(line)));
    }
    content.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 400] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{object}\nendobj\n", i + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for offset in offsets {
        pdf.push_str(&format!("{offset:010} 00000 n \n"));
    }
    pdf.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    pdf.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_payload_has_a_valid_crc() {
        let qr = emv_qr("QR1", Some(Decimal::new(1050, 2)), "1");
        let (payload, crc) = qr.split_at(qr.len() - 4);
        assert!(payload.ends_with("6304"));
        assert_eq!(crc, format!("{:04X}", crc16(payload.as_bytes())));
        assert!(qr.contains("540510.50"));
        assert_eq!(crc16(b"123456789"), 0x29B1);
    }

    #[test]
    fn voucher_is_a_pdf_with_a_consistent_xref() {
        let pdf = String::from_utf8(voucher_pdf(&["Comprobante (1)".into()])).unwrap();
        assert!(pdf.starts_with("%PDF-1.4\n") && pdf.ends_with("%%EOF\n"));
        assert!(pdf.contains("(Comprobante \\(1\\)) Tj"));
        let startxref: usize = pdf
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(pdf[startxref..].starts_with("xref\n"));
        let first_offset: usize = pdf[startxref..].lines().nth(3).unwrap()[..10]
            .parse()
            .unwrap();
        assert!(pdf[first_offset..].starts_with("1 0 obj"));
    }
}
