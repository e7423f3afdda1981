//! Payments: how money came in (UPI, cash, bank transfer, cheque), the
//! checks on its reference and date, the cheque's life, and how a payment
//! is applied to open items.
//!
//! - A payment carries the day it was made, which may be any past day but
//!   not a future one — except a post-dated cheque, which is dated for when
//!   it may be presented. The time it was recorded is the store's.
//! - UPI and bank transfers carry their bank reference (UTR), normalised so
//!   one transfer has one spelling; the store keeps it unique per
//!   organisation, so one transfer is never booked twice.
//! - A cheque is pending until cleared. Its payment entry is posted when it
//!   is received and a bounce reverses it by a new entry, with an optional
//!   bounce charge.
//! - Unless the person picks invoices, a payment pays the oldest due first;
//!   what is left after every open item is credit.

use std::collections::HashSet;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::dates::{format_date, parse_date_labelled};
use crate::error::{DomainError, DomainResult};
use crate::ledger::{LedgerEntry, OpenItem, PaymentAllocation, MAX_ENTRY_AMOUNT};
use crate::money::Paise;
use crate::text::optional_text;

/// Months a cheque may be presented after its date (RBI, since 1 April
/// 2012; older cheques are stale and banks refuse them).
pub const CHEQUE_VALIDITY_MONTHS: u32 = 3;

/// How a payment was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMode {
    /// UPI (Google Pay, PhonePe, Paytm, BHIM…).
    Upi,
    /// Cash.
    Cash,
    /// NEFT, RTGS or IMPS.
    BankTransfer,
    /// Cheque.
    Cheque,
}

impl PaymentMode {
    /// The value forms send and stores keep.
    pub fn code(self) -> &'static str {
        match self {
            PaymentMode::Upi => "upi",
            PaymentMode::Cash => "cash",
            PaymentMode::BankTransfer => "bank_transfer",
            PaymentMode::Cheque => "cheque",
        }
    }

    /// For people: `UPI`, `Bank transfer`…
    pub fn label(self) -> &'static str {
        match self {
            PaymentMode::Upi => "UPI",
            PaymentMode::Cash => "Cash",
            PaymentMode::BankTransfer => "Bank transfer",
            PaymentMode::Cheque => "Cheque",
        }
    }

    /// Parses `upi`, `cash`, `bank_transfer` (also `neft`, `rtgs`, `imps`)
    /// or `cheque` (also `check`). Errors name `field`.
    pub fn parse(input: &str, field: &str) -> DomainResult<PaymentMode> {
        match input
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '-'], "_")
            .as_str()
        {
            "upi" => Ok(PaymentMode::Upi),
            "cash" => Ok(PaymentMode::Cash),
            "bank_transfer" | "bank" | "neft" | "rtgs" | "imps" => Ok(PaymentMode::BankTransfer),
            "cheque" | "check" => Ok(PaymentMode::Cheque),
            _ => Err(DomainError::invalid(
                field,
                "Payment mode must be UPI, cash, bank transfer or cheque",
            )),
        }
    }
}

/// Where a cheque stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChequeState {
    /// Received, not yet cleared.
    Pending,
    /// The bank has credited it.
    Cleared,
    /// The bank returned it unpaid.
    Bounced,
}

impl ChequeState {
    /// The value stores keep.
    pub fn code(self) -> &'static str {
        match self {
            ChequeState::Pending => "pending",
            ChequeState::Cleared => "cleared",
            ChequeState::Bounced => "bounced",
        }
    }

    /// Checks a change of state: a pending cheque clears or bounces; a
    /// cleared one may still come back bounced (a return after credit); a
    /// bounced cheque is final (a re-presented cheque is a new payment).
    pub fn change_to(self, to: ChequeState) -> DomainResult<ChequeState> {
        match (self, to) {
            (ChequeState::Pending, ChequeState::Cleared | ChequeState::Bounced)
            | (ChequeState::Cleared, ChequeState::Bounced) => Ok(to),
            _ => Err(DomainError::conflict(format!(
                "A {} cheque cannot be marked {}",
                self.code(),
                to.code()
            ))),
        }
    }
}

/// A bank or UPI transaction reference, normalised: no spaces or hyphens,
/// upper case, labels like "UTR:" removed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Utr(String);

impl Utr {
    /// Normalises what was pasted: trims, drops a leading label ("UTR",
    /// "RRN", "UPI Ref No"…), spaces and hyphens, and upper-cases.
    pub fn normalise(input: &str) -> String {
        let mut s = input.trim().to_ascii_uppercase();
        for label in [
            "UPI REF NO",
            "UPI REF",
            "UPI TRANSACTION ID",
            "REF NO",
            "UTR NO",
            "UTR",
            "RRN",
        ] {
            if let Some(rest) = s.strip_prefix(label) {
                let rest = rest.trim_start_matches([' ', ':', '.', '#', '-']);
                if rest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                    s = rest.to_string();
                    break;
                }
            }
        }
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect()
    }

    /// Parses the reference of a `mode` payment: UPI takes the 12-digit
    /// UPI reference (RRN) every UPI app shows; a bank transfer takes its
    /// UTR, 6 to 35 letters and digits (NEFT 16, RTGS 22, IMPS 12). Errors
    /// name `field`.
    pub fn parse(input: &str, mode: PaymentMode, field: &str) -> DomainResult<Utr> {
        let s = Utr::normalise(input);
        match mode {
            PaymentMode::Upi => {
                if s.is_empty() {
                    return Err(DomainError::invalid(
                        field,
                        "UPI reference number is required",
                    ));
                }
                if s.len() != 12
                    || !s.bytes().all(|b| b.is_ascii_digit())
                    || s.bytes().all(|b| b == b'0')
                {
                    return Err(DomainError::invalid(
                        field,
                        "UPI reference must be the 12-digit number the payment app shows (UPI Ref No / UTR), like 412345678901",
                    ));
                }
            }
            PaymentMode::BankTransfer => {
                if s.is_empty() {
                    return Err(DomainError::invalid(
                        field,
                        "Bank reference (UTR) is required",
                    ));
                }
                if !(6..=35).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err(DomainError::invalid(
                        field,
                        "Bank reference (UTR) must be 6 to 35 letters and digits, like HDFCN52026040112345",
                    ));
                }
            }
            PaymentMode::Cash | PaymentMode::Cheque => {
                return Err(DomainError::invalid(
                    field,
                    "Only UPI and bank transfers have a UTR",
                ));
            }
        }
        Ok(Utr(s))
    }

    /// The reference.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A cheque's details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cheque {
    /// Six-digit cheque number.
    pub number: String,
    /// Drawee bank, as written.
    pub bank: String,
    /// The date written on the cheque.
    pub dated: NaiveDate,
    /// Pending, cleared or bounced.
    pub state: ChequeState,
}

impl Cheque {
    /// Last day the cheque may be presented.
    pub fn valid_until(&self) -> NaiveDate {
        self.dated
            .checked_add_months(Months::new(CHEQUE_VALIDITY_MONTHS))
            .and_then(|d| d.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// True when the cheque can no longer be presented on `day`.
    pub fn is_stale_on(&self, day: NaiveDate) -> bool {
        day > self.valid_until()
    }
}

/// What a payment was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentPurpose {
    /// Rent and charges.
    #[default]
    Dues,
    /// The security deposit (held, not applied to rent).
    SecurityDeposit,
}

/// What the payment form sends.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PaymentInput {
    /// `upi`, `cash`, `bank_transfer` or `cheque`.
    pub mode: String,
    /// Amount in rupees.
    pub amount: String,
    /// Day the payment was made (for a cheque: the date on it).
    pub paid_on: String,
    /// UTR of a UPI or bank payment.
    pub reference: String,
    /// Cheque number.
    pub cheque_number: String,
    /// Cheque's bank.
    pub cheque_bank: String,
    /// Dues or security deposit.
    pub purpose: PaymentPurpose,
    /// Anything else to remember.
    pub note: Option<String>,
}

/// A checked payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentDetails {
    /// How it was paid.
    pub mode: PaymentMode,
    /// How much.
    pub amount: Paise,
    /// Day it was made.
    pub paid_on: NaiveDate,
    /// UTR, for UPI and bank transfers.
    pub utr: Option<Utr>,
    /// The cheque, for cheques (pending when recorded).
    pub cheque: Option<Cheque>,
    /// Dues or deposit.
    pub purpose: PaymentPurpose,
    /// Note.
    pub note: Option<String>,
}

impl PaymentInput {
    /// Checks the form on `today` and returns the payment, or the first
    /// error by field.
    pub fn validate(&self, today: NaiveDate) -> DomainResult<PaymentDetails> {
        let mode = PaymentMode::parse(&self.mode, "mode")?;
        if self.amount.trim().is_empty() {
            return Err(DomainError::invalid(
                "amount",
                "Amount is required: enter it in rupees",
            ));
        }
        let amount = Paise::from_rupees_str(&self.amount, "amount")?;
        if amount <= Paise::ZERO {
            return Err(DomainError::invalid(
                "amount",
                "Amount must be more than ₹0",
            ));
        }
        if amount > MAX_ENTRY_AMOUNT {
            return Err(DomainError::invalid(
                "amount",
                format!("Amount must be at most {MAX_ENTRY_AMOUNT}"),
            ));
        }
        let paid_on = parse_date_labelled(&self.paid_on, "paid_on", "Payment date")?;
        if paid_on > today && mode != PaymentMode::Cheque {
            return Err(DomainError::invalid(
                "paid_on",
                format!(
                    "Payment date cannot be after today ({}); only a post-dated cheque may carry a later date",
                    format_date(today)
                ),
            ));
        }
        let utr = match mode {
            PaymentMode::Upi | PaymentMode::BankTransfer => {
                Some(Utr::parse(&self.reference, mode, "reference")?)
            }
            PaymentMode::Cash | PaymentMode::Cheque => None,
        };
        let cheque = if mode == PaymentMode::Cheque {
            let number: String = self
                .cheque_number
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if number.len() != 6 || !number.bytes().all(|b| b.is_ascii_digit()) {
                return Err(DomainError::invalid(
                    "cheque_number",
                    "Cheque number must be the 6 digits printed on the cheque",
                ));
            }
            let bank = optional_text(Some(&self.cheque_bank), "cheque_bank", "Bank", 80)?
                .ok_or_else(|| {
                    DomainError::invalid("cheque_bank", "Bank is required for a cheque")
                })?;
            let cheque = Cheque {
                number,
                bank,
                dated: paid_on,
                state: ChequeState::Pending,
            };
            if cheque.is_stale_on(today) {
                return Err(DomainError::invalid(
                    "paid_on",
                    format!(
                        "This cheque is stale: banks accept cheques for {CHEQUE_VALIDITY_MONTHS} months from their date, until {}",
                        format_date(cheque.valid_until())
                    ),
                ));
            }
            Some(cheque)
        } else {
            None
        };
        let note = optional_text(self.note.as_deref(), "note", "Note", 200)?;
        Ok(PaymentDetails {
            mode,
            amount,
            paid_on,
            utr,
            cheque,
            purpose: self.purpose,
            note,
        })
    }
}

impl PaymentDetails {
    /// What the receipt adds: a cheque is "subject to realisation".
    pub fn receipt_note(&self) -> Option<String> {
        self.cheque.as_ref().map(|c| {
            format!(
                "Cheque No. {} dated {} on {}: subject to realisation",
                c.number,
                format_date(c.dated),
                c.bank
            )
        })
    }

    /// The ledger entry of this payment: a payment applied as `allocations`
    /// says, or a deposit held.
    pub fn ledger_entry(
        &self,
        entry_id: Uuid,
        account_id: Uuid,
        payment_id: Uuid,
        allocations: Vec<PaymentAllocation>,
    ) -> LedgerEntry {
        let memo = match (&self.utr, &self.cheque) {
            (Some(utr), _) => format!("{} {}", self.mode.label(), utr.as_str()),
            (_, Some(c)) => format!("Cheque {} {}", c.number, c.bank),
            _ => self.mode.label().to_string(),
        };
        match self.purpose {
            PaymentPurpose::Dues => LedgerEntry::payment(
                entry_id,
                account_id,
                self.amount,
                self.paid_on,
                Some(payment_id),
                allocations,
                &memo,
            ),
            PaymentPurpose::SecurityDeposit => LedgerEntry::deposit_held(
                entry_id,
                account_id,
                self.amount,
                self.paid_on,
                Some(payment_id),
                &format!("Security deposit, {memo}"),
            ),
        }
    }
}

/// An open item a person chose to pay, with the amount (all that is
/// outstanding, or what the payment has left, when `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pick {
    /// The open item's charge entry.
    pub item_entry_id: Uuid,
    /// How much of the payment goes to it.
    pub amount: Option<Paise>,
}

/// How a payment is applied.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct AllocationPlan {
    /// Amounts per open item.
    pub allocations: Vec<PaymentAllocation>,
    /// What is left after every open item: credit on the account.
    pub credit: Paise,
}

/// Applies `amount` to `open` items: first the `picks`, in the order
/// chosen, then the oldest due of the rest; what is left is credit. Errors
/// when a pick is not open, is picked twice, or asks for more than is
/// outstanding or than the payment has left.
pub fn allocate(amount: Paise, open: &[OpenItem], picks: &[Pick]) -> DomainResult<AllocationPlan> {
    if amount <= Paise::ZERO {
        return Err(DomainError::invalid(
            "amount",
            "Amount must be more than ₹0",
        ));
    }
    let mut outstanding: Vec<(OpenItem, Paise)> =
        open.iter().map(|i| (i.clone(), i.outstanding)).collect();
    outstanding.sort_by_key(|(i, _)| (i.due_on, i.issued_on));
    let mut left = amount;
    let mut plan: Vec<PaymentAllocation> = Vec::new();
    let mut seen = HashSet::new();
    let give = |plan: &mut Vec<PaymentAllocation>, id: Uuid, paid: Paise| {
        if let Some(a) = plan.iter_mut().find(|a| a.item_entry_id == id) {
            a.amount = Paise(a.amount.as_i64() + paid.as_i64());
        } else {
            plan.push(PaymentAllocation {
                item_entry_id: id,
                amount: paid,
            });
        }
    };
    for pick in picks {
        if !seen.insert(pick.item_entry_id) {
            return Err(DomainError::invalid("picks", "An invoice was chosen twice"));
        }
        let Some((item, rest)) = outstanding
            .iter_mut()
            .find(|(i, _)| i.entry_id == pick.item_entry_id)
        else {
            return Err(DomainError::conflict(
                "A chosen invoice is not open on this tenant's account",
            ));
        };
        let paid = match pick.amount {
            Some(p) if p <= Paise::ZERO => {
                return Err(DomainError::invalid(
                    "picks",
                    "An amount for an invoice must be more than ₹0",
                ))
            }
            Some(p) if p > *rest => {
                return Err(DomainError::invalid(
                    "picks",
                    format!(
                        "{p} is more than the {rest} outstanding on the invoice due {}",
                        format_date(item.due_on)
                    ),
                ))
            }
            Some(p) if p > left => {
                return Err(DomainError::invalid(
                    "picks",
                    "The amounts chosen for invoices add up to more than the payment",
                ))
            }
            Some(p) => p,
            None => (*rest).min(left),
        };
        if paid > Paise::ZERO {
            give(&mut plan, item.entry_id, paid);
            *rest = Paise(rest.as_i64() - paid.as_i64());
            left = Paise(left.as_i64() - paid.as_i64());
        }
    }
    for (item, rest) in outstanding.iter_mut() {
        if left <= Paise::ZERO {
            break;
        }
        let paid = (*rest).min(left);
        if paid > Paise::ZERO {
            give(&mut plan, item.entry_id, paid);
            *rest = Paise(rest.as_i64() - paid.as_i64());
            left = Paise(left.as_i64() - paid.as_i64());
        }
    }
    Ok(AllocationPlan {
        allocations: plan,
        credit: left,
    })
}

/// The entries of a bounced cheque: the reversal of its payment entry and,
/// if the agreement provides one, a bounce charge. A bounce charge is
/// recovered as agreed compensation; dishonour for want of funds is also an
/// offence under the Negotiable Instruments Act 1881, s.138, and the charge
/// is not consideration for a supply under GST (CBIC Circular 178/10/2022).
pub fn bounce_entries(
    payment_entry: &LedgerEntry,
    reversal_id: Uuid,
    bounced_on: NaiveDate,
    bounce_charge: Option<(Uuid, Paise)>,
) -> Vec<LedgerEntry> {
    let mut entries = vec![LedgerEntry::reversal_of(
        payment_entry,
        reversal_id,
        bounced_on,
        &format!("Cheque bounced: {}", payment_entry.memo),
    )];
    if let Some((charge_id, amount)) = bounce_charge.filter(|(_, a)| *a > Paise::ZERO) {
        entries.push(LedgerEntry::charge(
            charge_id,
            payment_entry.account_id,
            amount,
            bounced_on,
            bounced_on,
            None,
            "Cheque bounce charge",
        ));
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Ledger;

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_date(s, "test").unwrap()
    }

    fn item(n: u128, due: &str, outstanding: i64) -> OpenItem {
        OpenItem {
            entry_id: Uuid::from_u128(n),
            account_id: Uuid::nil(),
            invoice_id: None,
            issued_on: d(due),
            due_on: d(due),
            amount: Paise(outstanding),
            paid: Paise::ZERO,
            outstanding: Paise(outstanding),
        }
    }

    fn input() -> PaymentInput {
        PaymentInput {
            mode: "upi".into(),
            amount: "12,500".into(),
            paid_on: "05/04/2026".into(),
            reference: "UTR: 4123 4567 8901".into(),
            ..PaymentInput::default()
        }
    }

    #[test]
    fn utrs() {
        let cases = [
            ("412345678901", PaymentMode::Upi, Some("412345678901")),
            (" 4123-4567-8901 ", PaymentMode::Upi, Some("412345678901")),
            (
                "UPI Ref No: 412345678901",
                PaymentMode::Upi,
                Some("412345678901"),
            ),
            ("41234567890", PaymentMode::Upi, None),
            ("4123456789012", PaymentMode::Upi, None),
            ("T2304051234567890", PaymentMode::Upi, None),
            ("000000000000", PaymentMode::Upi, None),
            ("", PaymentMode::Upi, None),
            (
                "hdfcn52026040112345",
                PaymentMode::BankTransfer,
                Some("HDFCN52026040112345"),
            ),
            (
                "UTR HDFCR52026040100000012",
                PaymentMode::BankTransfer,
                Some("HDFCR52026040100000012"),
            ),
            (
                "412345678901",
                PaymentMode::BankTransfer,
                Some("412345678901"),
            ),
            ("12345", PaymentMode::BankTransfer, None),
            (&"A".repeat(36), PaymentMode::BankTransfer, None),
            ("HDFC/123456", PaymentMode::BankTransfer, None),
            ("123456", PaymentMode::Cash, None),
        ];
        for (typed, mode, expected) in cases {
            let got = Utr::parse(typed, mode, "reference");
            assert_eq!(
                got.as_ref().ok().map(Utr::as_str),
                expected,
                "{typed} {mode:?}"
            );
            if let Err(e) = got {
                assert!(matches!(e, DomainError::Invalid { field, .. } if field == "reference"));
            }
        }
    }

    #[test]
    fn payment_form() {
        let today = d("10/04/2026");
        let p = input().validate(today).unwrap();
        assert_eq!(p.mode, PaymentMode::Upi);
        assert_eq!(p.amount, Paise(1_250_000));
        assert_eq!(p.utr.as_ref().unwrap().as_str(), "412345678901");
        assert_eq!(p.receipt_note(), None);
        let field = |i: PaymentInput| match i.validate(today) {
            Err(DomainError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(PaymentInput {
                mode: "card".into(),
                ..input()
            }),
            "mode"
        );
        assert_eq!(
            field(PaymentInput {
                amount: "0".into(),
                ..input()
            }),
            "amount"
        );
        assert_eq!(
            field(PaymentInput {
                paid_on: "11/04/2026".into(),
                ..input()
            }),
            "paid_on"
        );
        assert_eq!(
            field(PaymentInput {
                reference: "12".into(),
                ..input()
            }),
            "reference"
        );
        // Cash needs no reference; any past day is fine.
        let cash = PaymentInput {
            mode: "cash".into(),
            reference: "".into(),
            paid_on: "01/01/2020".into(),
            ..input()
        };
        assert_eq!(cash.validate(today).unwrap().utr, None);
        // A post-dated cheque.
        let cheque = PaymentInput {
            mode: "cheque".into(),
            paid_on: "05/05/2026".into(),
            reference: "".into(),
            cheque_number: "004512".into(),
            cheque_bank: "State Bank of India".into(),
            ..input()
        };
        let p = cheque.validate(today).unwrap();
        assert_eq!(p.cheque.as_ref().unwrap().state, ChequeState::Pending);
        assert_eq!(
            p.receipt_note().unwrap(),
            "Cheque No. 004512 dated 05/05/2026 on State Bank of India: subject to realisation"
        );
        assert_eq!(
            field(PaymentInput {
                cheque_number: "4512".into(),
                ..cheque.clone()
            }),
            "cheque_number"
        );
        assert_eq!(
            field(PaymentInput {
                cheque_bank: " ".into(),
                ..cheque.clone()
            }),
            "cheque_bank"
        );
        let stale = PaymentInput {
            paid_on: "09/01/2026".into(),
            ..cheque.clone()
        };
        assert_eq!(
            stale.validate(today).unwrap_err().to_string(),
            "This cheque is stale: banks accept cheques for 3 months from their date, until 08/04/2026"
        );
        // Dated 11/01: valid up to 10/04, today.
        assert!(PaymentInput {
            paid_on: "11/01/2026".into(),
            ..cheque
        }
        .validate(today)
        .is_ok());
    }

    #[test]
    fn cheque_states() {
        use ChequeState::*;
        assert_eq!(Pending.change_to(Cleared), Ok(Cleared));
        assert_eq!(Pending.change_to(Bounced), Ok(Bounced));
        assert_eq!(Cleared.change_to(Bounced), Ok(Bounced));
        for (from, to) in [
            (Bounced, Cleared),
            (Cleared, Pending),
            (Bounced, Pending),
            (Pending, Pending),
        ] {
            assert!(from.change_to(to).is_err(), "{from:?} → {to:?}");
        }
    }

    #[test]
    fn allocation_oldest_first_or_picked() {
        let open = [
            item(1, "05/05/2026", 1_000_000),
            item(2, "05/04/2026", 500_000),
            item(3, "05/06/2026", 1_000_000),
        ];
        let plan = allocate(Paise(1_200_000), &open, &[]).unwrap();
        let got: Vec<(u128, i64)> = plan
            .allocations
            .iter()
            .map(|a| (a.item_entry_id.as_u128(), a.amount.as_i64()))
            .collect();
        assert_eq!(got, vec![(2, 500_000), (1, 700_000)]);
        assert_eq!(plan.credit, Paise::ZERO);
        let plan = allocate(Paise(3_000_000), &open, &[]).unwrap();
        assert_eq!(plan.credit, Paise(500_000));
        // Picked: June first, then the oldest.
        let plan = allocate(
            Paise(1_200_000),
            &open,
            &[Pick {
                item_entry_id: Uuid::from_u128(3),
                amount: None,
            }],
        )
        .unwrap();
        let got: Vec<(u128, i64)> = plan
            .allocations
            .iter()
            .map(|a| (a.item_entry_id.as_u128(), a.amount.as_i64()))
            .collect();
        assert_eq!(got, vec![(3, 1_000_000), (2, 200_000)]);
        let part = Pick {
            item_entry_id: Uuid::from_u128(1),
            amount: Some(Paise(100_000)),
        };
        let plan = allocate(Paise(100_000), &open, &[part]).unwrap();
        assert_eq!(
            plan.allocations,
            vec![PaymentAllocation {
                item_entry_id: Uuid::from_u128(1),
                amount: Paise(100_000)
            }]
        );
        assert!(allocate(
            Paise(100_000),
            &open,
            &[Pick {
                item_entry_id: Uuid::from_u128(9),
                amount: None
            }]
        )
        .is_err());
        assert!(allocate(Paise(100_000), &open, &[part, part]).is_err());
        assert!(allocate(Paise(50_000), &open, &[part]).is_err());
        assert!(allocate(
            Paise(2_000_000),
            &open,
            &[Pick {
                amount: Some(Paise(1_000_001)),
                ..part
            }]
        )
        .is_err());
        assert!(allocate(Paise(0), &open, &[]).is_err());
    }

    #[test]
    fn a_bounced_cheque_reverses_and_charges() {
        let account = Uuid::from_u128(1);
        let mut ledger = Ledger::new();
        let invoice = LedgerEntry::charge(
            Uuid::from_u128(2),
            account,
            Paise(1_250_000),
            d("01/04/2026"),
            d("05/04/2026"),
            Some(Uuid::from_u128(3)),
            "Rent",
        );
        ledger.append(invoice).unwrap();
        let cheque = PaymentInput {
            mode: "cheque".into(),
            reference: "".into(),
            cheque_number: "004512".into(),
            cheque_bank: "SBI".into(),
            ..input()
        }
        .validate(d("05/04/2026"))
        .unwrap();
        let open = ledger.open_items(account, None);
        let plan = allocate(cheque.amount, &open.items, &[]).unwrap();
        let entry = cheque.ledger_entry(
            Uuid::from_u128(4),
            account,
            Uuid::from_u128(5),
            plan.allocations,
        );
        assert_eq!(entry.memo, "Cheque 004512 SBI");
        ledger.append(entry.clone()).unwrap();
        assert_eq!(ledger.summary(account).dues, Paise::ZERO);
        for e in bounce_entries(
            &entry,
            Uuid::from_u128(6),
            d("08/04/2026"),
            Some((Uuid::from_u128(7), Paise(50_000))),
        ) {
            ledger.append(e).unwrap();
        }
        assert_eq!(ledger.summary(account).dues, Paise(1_300_000));
        assert_eq!(ledger.open_items(account, None).items.len(), 2);
        assert_eq!(
            bounce_entries(&entry, Uuid::from_u128(8), d("08/04/2026"), None).len(),
            1
        );
        // A deposit is held, not applied.
        let deposit = PaymentInput {
            purpose: PaymentPurpose::SecurityDeposit,
            ..input()
        }
        .validate(d("05/04/2026"))
        .unwrap();
        let e = deposit.ledger_entry(Uuid::from_u128(9), account, Uuid::from_u128(10), vec![]);
        assert_eq!(e.kind, crate::ledger::EntryKind::DepositHeld);
        ledger.append(e).unwrap();
        assert_eq!(ledger.summary(account).deposit_held, Paise(1_250_000));
        assert_eq!(ledger.summary(account).dues, Paise(1_300_000));
    }
}
