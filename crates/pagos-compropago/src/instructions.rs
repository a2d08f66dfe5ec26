//! Payment instructions: the CLABE and the numbered steps ComproPago returns with
//! orders and CLABE accounts, and their unified form.
//!
//! They become [`PaymentInstructions::BankTransfer`]:
//! - `account`: the CLABE (never validated in responses: the ComproPago API v2
//!   reference's own examples return the placeholder `000000000000000000`);
//! - `bank`: `Some("STP")` when a step names STP as the receiving bank (every example
//!   does: "…para banco STP.", "…como banco: STP."), otherwise `None` — the bank is
//!   never guessed;
//! - `reference`: `None`. An order's `shortId` identifies the order on ComproPago's
//!   side, but no instruction asks the payer to quote it: a SPEI order is matched by
//!   its CLABE and the exact amount. The `shortId` stays on [`crate::Order`];
//! - `steps`: the step descriptions, in step order.

use pagos_core::PaymentInstructions;
use serde::{Deserialize, Serialize};

use crate::wire;

/// One numbered step of ComproPago's payment instructions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Instruction {
    /// The step number (1-based), when sent.
    #[serde(default, deserialize_with = "wire::lenient_u32::deserialize_option")]
    pub step: Option<u32>,
    /// What the payer does, in Spanish.
    #[serde(default)]
    pub description: String,
}

/// The bank the instructions name as the receiver, when they name STP.
fn bank(steps: &[Instruction]) -> Option<String> {
    steps
        .iter()
        .any(|s| {
            s.description
                .split(|c: char| !c.is_alphanumeric())
                .any(|word| word == "STP")
        })
        .then(|| "STP".to_string())
}

/// The unified bank-transfer instructions for a CLABE and its steps; `None` without
/// a CLABE.
pub(crate) fn bank_transfer(
    clabe: Option<&str>,
    steps: &[Instruction],
) -> Option<PaymentInstructions> {
    let clabe = clabe.map(str::trim).filter(|c| !c.is_empty())?;
    let mut ordered: Vec<&Instruction> = steps.iter().collect();
    // Stable: steps without a number keep their place after the numbered ones.
    ordered.sort_by_key(|s| s.step.unwrap_or(u32::MAX));
    Some(PaymentInstructions::BankTransfer {
        account: clabe.to_string(),
        bank: bank(steps),
        reference: None,
        steps: ordered
            .into_iter()
            .map(|s| s.description.clone())
            .filter(|d| !d.trim().is_empty())
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(n: u32, d: &str) -> Instruction {
        Instruction {
            step: Some(n),
            description: d.into(),
        }
    }

    #[test]
    fn stp_is_named_only_when_the_steps_say_so() {
        let with = [
            step(2, "Realiza el deposito."),
            step(
                1,
                "Agrégala en tu banca en línea seleccionando como banco: STP.",
            ),
        ];
        let Some(PaymentInstructions::BankTransfer {
            account,
            bank,
            reference,
            steps,
        }) = bank_transfer(Some("646180146400219781"), &with)
        else {
            panic!("expected bank transfer");
        };
        assert_eq!(account, "646180146400219781");
        assert_eq!(bank.as_deref(), Some("STP"));
        assert_eq!(reference, None);
        assert!(steps[0].starts_with("Agrégala"));

        let without = [step(1, "Transfiere a la cuenta (ESTP no es un banco).")];
        let Some(PaymentInstructions::BankTransfer { bank, .. }) =
            bank_transfer(Some("646180146400219781"), &without)
        else {
            panic!("expected bank transfer");
        };
        assert_eq!(bank, None);
        assert_eq!(bank_transfer(None, &with), None);
        assert_eq!(bank_transfer(Some(" "), &with), None);
    }
}
