//! An invoice draft per contract and month, and the monthly billing run
//! over a property's contracts.
//!
//! The draft is deterministic: the same contract, month, charges and
//! readings give the same lines and totals. Its identity is
//! [`InvoiceKey`] (contract, month): the store keeps one invoice per key,
//! so running a month again creates nothing new, and
//! [`BillingRun::summary`] says so. The number is given when the store
//! issues the draft ([`super::numbering`]).
//!
//! Lines: rent (one per [`RentSegment`](super::proration::RentSegment)),
//! charges, electricity shares, late fees, then discounts as negative
//! lines, never more than what they discount. Each line is taxed on its own
//! and rounded to the paisa ([`super::gst`]); the grand total is rounded to
//! the nearest rupee with the round-off shown, as Indian invoices do.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::allocation::Stay;
use crate::contract::{ContractStatus, ContractTerms};
use crate::error::{DomainError, DomainResult};
use crate::ledger::{LedgerEntry, OpenItem};
use crate::money::Paise;

use super::charges::{Charge, ChargeKind, Discount};
use super::checked_sum;
use super::electricity::ElectricityShare;
use super::gst::{
    decide, ContractGstSettings, GstDecision, GstFacts, LineTax, PropertyGstSettings, TaxCharge,
};
use super::late_fee::LateFeeRule;
use super::period::BillingMonth;
use super::proration::{billable_days, rent_segments};

fn yes() -> bool {
    true
}

/// A property's billing settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyBillingSettings {
    /// GST category and registration.
    pub gst: PropertyGstSettings,
    /// The late fee, when switched on.
    #[serde(default)]
    pub late_fee: Option<LateFeeRule>,
    /// Round the grand total to the nearest rupee (default on).
    #[serde(default = "yes")]
    pub round_to_rupee: bool,
}

/// Everything a contract's invoice for a month is built from, as the store
/// reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractBilling {
    /// The contract.
    pub contract_id: Uuid,
    /// The tenant's ledger account.
    pub account_id: Uuid,
    /// Its terms.
    pub terms: ContractTerms,
    /// The tenant's stays under it (empty: the contract's dates decide).
    pub stays: Vec<Stay>,
    /// Its GST setting.
    pub gst: ContractGstSettings,
    /// Recurring and one-off charges.
    pub charges: Vec<Charge>,
    /// Discounts.
    pub discounts: Vec<Discount>,
    /// Electricity shares not yet billed.
    pub electricity: Vec<ElectricityShare>,
    /// The account's open items (for late fees).
    pub open_items: Vec<OpenItem>,
    /// Open items that already carry a late fee.
    pub late_fee_charged_for: Vec<Uuid>,
}

/// The identity of a monthly invoice: one per contract and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct InvoiceKey {
    /// The contract.
    pub contract_id: Uuid,
    /// The month.
    pub month: BillingMonth,
}

impl fmt::Display for InvoiceKey {
    /// `0190…/2026-04`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.contract_id, self.month.key())
    }
}

/// What a line bills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// Rent.
    Rent,
    /// A charge of some kind.
    Charge(ChargeKind),
    /// A discount (negative).
    Discount,
}

/// One invoice line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoiceLine {
    /// What it bills.
    pub kind: LineKind,
    /// Printed text.
    pub description: String,
    /// SAC code.
    pub sac: &'static str,
    /// Value before tax (negative for a discount).
    pub taxable_value: Paise,
    /// Tax on the line (shown; collected only under forward charge).
    pub tax: LineTax,
    /// What the line adds to the total.
    pub total: Paise,
}

/// Invoice totals, each the sum of the rounded lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct InvoiceTotals {
    /// Taxable value.
    pub taxable_value: Paise,
    /// CGST.
    pub cgst: Paise,
    /// SGST.
    pub sgst: Paise,
    /// IGST.
    pub igst: Paise,
    /// Tax the landlord charges (forward charge).
    pub tax_charged: Paise,
    /// Tax the tenant pays to the government (reverse charge), not
    /// collected.
    pub tax_reverse_charge: Paise,
    /// Rounding to the nearest rupee (±₹0.50 at most).
    pub round_off: Paise,
    /// What the tenant pays on this invoice.
    pub total: Paise,
}

/// A monthly invoice ready to be numbered and issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoiceDraft {
    /// Contract and month.
    pub key: InvoiceKey,
    /// The tenant's account.
    pub account_id: Uuid,
    /// Invoice date.
    pub invoice_date: NaiveDate,
    /// Due date.
    pub due_on: NaiveDate,
    /// "Tax Invoice", "Bill of Supply" or "Invoice".
    pub title: &'static str,
    /// The GST rule that applied.
    pub gst: GstDecision,
    /// Lines.
    pub lines: Vec<InvoiceLine>,
    /// Totals.
    pub totals: InvoiceTotals,
    /// Printed notes: the GST rule and the reverse charge statement.
    pub notes: Vec<String>,
    /// Open items this invoice charges a late fee on.
    pub late_fees_for: Vec<Uuid>,
    /// The total in words.
    pub amount_in_words: String,
}

impl InvoiceDraft {
    /// The ledger charge that books the issued invoice (`None` for a zero
    /// invoice, which books nothing).
    pub fn ledger_entry(
        &self,
        entry_id: Uuid,
        invoice_id: Uuid,
        memo: &str,
    ) -> Option<LedgerEntry> {
        (self.totals.total > Paise::ZERO).then(|| {
            LedgerEntry::charge(
                entry_id,
                self.account_id,
                self.totals.total,
                self.invoice_date,
                self.due_on,
                Some(invoice_id),
                memo,
            )
        })
    }
}

/// Merged continuous stays: [in, out) runs with touching stays joined (a
/// move between beds does not break continuity).
fn continuous_days(terms: &ContractTerms, stays: &[Stay], month: BillingMonth) -> Option<i64> {
    let contract_end = terms.end_date.and_then(|e| e.succ_opt());
    let (start, end) = if stays.is_empty() {
        (terms.start_date, contract_end)
    } else {
        let mut sorted: Vec<Stay> = stays.to_vec();
        sorted.sort_by_key(|s| s.move_in());
        let mut runs: Vec<(NaiveDate, Option<NaiveDate>)> = Vec::new();
        for s in sorted {
            match runs.last_mut() {
                Some((_, end)) if end.is_none_or(|e| s.move_in() <= e) => {
                    *end = match (*end, s.move_out()) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        _ => None,
                    };
                }
                _ => runs.push((s.move_in(), s.move_out())),
            }
        }
        let run = runs
            .iter()
            .copied()
            .filter(|(start, _)| *start < month.end())
            .find(|(_, end)| end.is_none_or(|e| e > month.first_day()))
            .or_else(|| runs.last().copied())?;
        let end = match (run.1, contract_end) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        (run.0, end)
    };
    end.map(|e| (e - start).num_days())
}

/// Builds the invoice of `contract` for `month`, dated `invoice_date`.
/// `Ok(None)` when there is nothing to bill. A draft contract is refused.
pub fn draft_invoice(
    settings: &PropertyBillingSettings,
    contract: &ContractBilling,
    month: BillingMonth,
    invoice_date: NaiveDate,
) -> DomainResult<Option<InvoiceDraft>> {
    let terms = &contract.terms;
    if terms.status == ContractStatus::Draft {
        return Err(DomainError::conflict(
            "This contract is still a draft; make it active to bill it",
        ));
    }
    let too_large = || DomainError::invalid("amount", "The invoice amounts are too large");
    let billable = billable_days(terms, &contract.stays, month);
    let segments = rent_segments(terms, &contract.stays, month)?;

    // Amounts before tax, in print order.
    let mut pre: Vec<(LineKind, String, Paise)> = Vec::new();
    for s in &segments {
        pre.push((LineKind::Rent, s.describe(month), s.amount));
    }
    let rent = checked_sum(segments.iter().map(|s| s.amount)).ok_or_else(too_large)?;
    let mut monthly_value = segments
        .iter()
        .map(|s| s.monthly_rent)
        .max()
        .unwrap_or(Paise::ZERO);
    for c in &contract.charges {
        if let Some(billed) = c.billed_in(month, &billable)? {
            pre.push((LineKind::Charge(c.kind), billed.description, billed.amount));
        }
        if c.kind.counts_towards_accommodation_value() {
            monthly_value = monthly_value
                .checked_add(c.monthly_value(month, &billable))
                .ok_or_else(too_large)?;
        }
    }
    for e in contract
        .electricity
        .iter()
        .filter(|e| e.contract_id == contract.contract_id)
    {
        pre.push((
            LineKind::Charge(ChargeKind::Electricity),
            e.describe(),
            e.amount,
        ));
        monthly_value = monthly_value.checked_add(e.amount).ok_or_else(too_large)?;
    }
    let mut late_fees_for = Vec::new();
    if let Some(rule) = &settings.late_fee {
        for item in &contract.open_items {
            if contract.late_fee_charged_for.contains(&item.entry_id) {
                continue;
            }
            if let Some(fee) = rule.assess(item, invoice_date) {
                pre.push((
                    LineKind::Charge(ChargeKind::LateFee),
                    fee.describe(),
                    fee.amount,
                ));
                late_fees_for.push(item.entry_id);
            }
        }
    }
    let mut room = checked_sum(pre.iter().map(|p| p.2)).ok_or_else(too_large)?;
    let full_rent = segments
        .iter()
        .map(|s| s.monthly_rent)
        .max()
        .unwrap_or(Paise::ZERO);
    for d in &contract.discounts {
        if let Some(billed) = d.billed_in(month, &billable, rent)? {
            // A discount never takes the invoice below zero.
            let off = billed.amount.min(room).max(Paise::ZERO);
            if off > Paise::ZERO {
                pre.push((
                    LineKind::Discount,
                    billed.description,
                    off.checked_neg().ok_or_else(too_large)?,
                ));
                room = room.checked_sub(off).ok_or_else(too_large)?;
            }
        }
        monthly_value = monthly_value
            .checked_sub(d.monthly_value(month, &billable, full_rent))
            .ok_or_else(too_large)?;
    }
    if pre.is_empty() {
        return Ok(None);
    }

    let facts = GstFacts {
        monthly_value: monthly_value.max(Paise::ZERO),
        continuous_days: continuous_days(terms, &contract.stays, month),
    };
    let gst = decide(&settings.gst, &contract.gst, &facts);
    let mut lines = Vec::with_capacity(pre.len());
    let mut totals = InvoiceTotals::default();
    for (kind, description, taxable) in pre {
        let tax = gst.tax_line(taxable).ok_or_else(too_large)?;
        let collected = if gst.charge == TaxCharge::Forward {
            tax.total()
        } else {
            Paise::ZERO
        };
        let total = taxable.checked_add(collected).ok_or_else(too_large)?;
        let add = |a: Paise, b: Paise| a.checked_add(b).ok_or_else(too_large);
        totals.taxable_value = add(totals.taxable_value, taxable)?;
        totals.cgst = add(totals.cgst, tax.cgst)?;
        totals.sgst = add(totals.sgst, tax.sgst)?;
        totals.igst = add(totals.igst, tax.igst)?;
        match gst.charge {
            TaxCharge::Forward => totals.tax_charged = add(totals.tax_charged, tax.total())?,
            TaxCharge::Reverse => {
                totals.tax_reverse_charge = add(totals.tax_reverse_charge, tax.total())?
            }
            TaxCharge::None => {}
        }
        lines.push(InvoiceLine {
            kind,
            description,
            sac: gst.sac,
            taxable_value: taxable,
            tax,
            total,
        });
    }
    let before_round = totals
        .taxable_value
        .checked_add(totals.tax_charged)
        .ok_or_else(too_large)?;
    totals.round_off = if settings.round_to_rupee {
        round_off(before_round)
    } else {
        Paise::ZERO
    };
    totals.total = before_round
        .checked_add(totals.round_off)
        .ok_or_else(too_large)?
        .max(Paise::ZERO);

    let first_night = billable.first().copied().unwrap_or(month.first_day());
    let due_on = month
        .day(u32::from(terms.billing_day))
        .max(first_night)
        .max(invoice_date);
    let mut notes = gst.notes();
    if gst.reverse_charge() {
        notes.push(format!(
            "GST of {} on this invoice is to be paid by the recipient directly to the government",
            totals.tax_reverse_charge
        ));
    }
    Ok(Some(InvoiceDraft {
        key: InvoiceKey {
            contract_id: contract.contract_id,
            month,
        },
        account_id: contract.account_id,
        invoice_date,
        due_on,
        title: gst.document_title(),
        amount_in_words: totals.total.amount_in_words(),
        gst,
        lines,
        totals,
        notes,
        late_fees_for,
    }))
}

/// The change that rounds `amount` to the nearest rupee, halves up:
/// -₹0.49 to +₹0.50.
pub fn round_off(amount: Paise) -> Paise {
    let paise = amount.as_i64().rem_euclid(100);
    if paise >= 50 {
        Paise(100 - paise)
    } else {
        Paise(-paise)
    }
}

/// A contract the run did not bill, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedContract {
    /// The contract.
    pub contract_id: Uuid,
    /// Why, for people.
    pub reason: String,
}

/// What a billing run of a property and month produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BillingRun {
    /// The month billed.
    pub month: BillingMonth,
    /// New invoices to issue, in contract order.
    pub drafts: Vec<InvoiceDraft>,
    /// Contracts already invoiced for the month.
    pub already_invoiced: usize,
    /// Contracts with nothing to bill, or not billable.
    pub skipped: Vec<SkippedContract>,
}

impl BillingRun {
    /// For the person who ran it: "Created 12 invoices for April 2026",
    /// "Created 3 invoices for April 2026; 9 were already invoiced", or
    /// "Nothing new: all 12 contracts were already invoiced for April
    /// 2026".
    pub fn summary(&self) -> String {
        let month = self.month.label();
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        match (self.drafts.len(), self.already_invoiced) {
            (0, 0) => format!("Nothing to bill for {month}"),
            (0, n) => format!(
                "Nothing new: {} already invoiced for {month}",
                if n == 1 {
                    "the contract was".to_string()
                } else {
                    format!("all {n} contracts were")
                }
            ),
            (c, 0) => format!("Created {} for {month}", plural(c, "invoice")),
            (c, n) => format!(
                "Created {} for {month}; {n} {} already invoiced",
                plural(c, "invoice"),
                if n == 1 { "was" } else { "were" }
            ),
        }
    }
}

/// The monthly run: a draft for every billable contract not yet invoiced
/// for `month` (`already_invoiced` holds the keys the store has).
/// Deterministic: the same inputs give the same drafts. Fails as a whole
/// on the first contract that cannot be billed, naming it, so a run is
/// all or nothing.
pub fn billing_run(
    settings: &PropertyBillingSettings,
    contracts: &[ContractBilling],
    month: BillingMonth,
    invoice_date: NaiveDate,
    already_invoiced: &[InvoiceKey],
) -> DomainResult<BillingRun> {
    let mut run = BillingRun {
        month,
        drafts: Vec::new(),
        already_invoiced: 0,
        skipped: Vec::new(),
    };
    for contract in contracts {
        let key = InvoiceKey {
            contract_id: contract.contract_id,
            month,
        };
        if already_invoiced.contains(&key) {
            run.already_invoiced += 1;
            continue;
        }
        if contract.terms.status == ContractStatus::Draft {
            run.skipped.push(SkippedContract {
                contract_id: contract.contract_id,
                reason: "Contract is still a draft".into(),
            });
            continue;
        }
        match draft_invoice(settings, contract, month, invoice_date) {
            Ok(Some(draft)) => run.drafts.push(draft),
            Ok(None) => run.skipped.push(SkippedContract {
                contract_id: contract.contract_id,
                reason: format!("Nothing to bill for {}", month.label()),
            }),
            Err(e) => {
                return Err(DomainError::conflict(format!(
                    "Contract {} cannot be billed for {}: {e}",
                    contract.contract_id,
                    month.label()
                )))
            }
        }
    }
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::charges::{ChargeSchedule, DiscountValue};
    use crate::billing::electricity::{
        bill_room, split_among_occupants, MeterReading, MeterUnits, Occupant,
    };
    use crate::billing::gst::{GstRule, StayCategory, DEFAULT_GST_RATE_BP};
    use crate::billing::late_fee::LateFeeAmount;
    use crate::billing::numbering::InvoiceSeries;
    use crate::gstin::Gstin;
    use crate::ledger::Ledger;
    use crate::property::PropertyCode;

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_date(s, "test").unwrap()
    }

    fn month(s: &str) -> BillingMonth {
        BillingMonth::parse(s, "month").unwrap()
    }

    fn settings(category: StayCategory, registered: bool) -> PropertyBillingSettings {
        PropertyBillingSettings {
            gst: PropertyGstSettings {
                category,
                supplier_gstin: registered
                    .then(|| Gstin::parse("29AAGCB7383J1Z4", "gstin").unwrap()),
                state_code: 29,
                rate_bp: DEFAULT_GST_RATE_BP,
            },
            late_fee: None,
            round_to_rupee: true,
        }
    }

    fn terms(rent: i64, start: &str) -> ContractTerms {
        ContractTerms {
            monthly_rent: Paise(rent),
            security_deposit: Paise(0),
            billing_day: 5,
            lock_in_months: 0,
            notice_days: 30,
            yearly_escalation_bp: 500,
            start_date: d(start),
            end_date: None,
            status: ContractStatus::Active,
        }
    }

    fn contract(n: u128, rent: i64, move_in: &str) -> ContractBilling {
        ContractBilling {
            contract_id: Uuid::from_u128(n),
            account_id: Uuid::from_u128(n + 100),
            terms: terms(rent, "01/01/2026"),
            stays: vec![Stay::ongoing(d(move_in))],
            gst: ContractGstSettings::default(),
            charges: vec![],
            discounts: vec![],
            electricity: vec![],
            open_items: vec![],
            late_fee_charged_for: vec![],
        }
    }

    fn food(amount: i64) -> Charge {
        Charge {
            id: Uuid::from_u128(900),
            kind: ChargeKind::Food,
            description: "Meals".into(),
            amount: Paise(amount),
            schedule: ChargeSchedule::Monthly {
                from: d("01/01/2026"),
                until: None,
                prorate: true,
            },
        }
    }

    #[test]
    fn a_pg_month_with_food_electricity_and_a_discount() {
        let mut c = contract(1, 1_200_000, "16/04/2026");
        c.charges.push(food(300_000));
        c.discounts.push(Discount {
            id: Uuid::from_u128(901),
            description: "Referral discount".into(),
            value: DiscountValue::Flat(Paise(50_000)),
            schedule: ChargeSchedule::Once {
                on: d("16/04/2026"),
            },
        });
        let bill = bill_room(
            MeterReading {
                on: d("01/04/2026"),
                reading: MeterUnits(100_000),
            },
            MeterReading {
                on: d("01/05/2026"),
                reading: MeterUnits(109_000),
            },
            Paise(800),
        )
        .unwrap();
        let split = split_among_occupants(
            &bill,
            &[
                Occupant {
                    contract_id: Uuid::from_u128(1),
                    stays: c.stays.clone(),
                },
                Occupant {
                    contract_id: Uuid::from_u128(2),
                    stays: vec![Stay::ongoing(d("01/01/2026"))],
                },
            ],
        );
        c.electricity = split.shares;
        let draft = draft_invoice(
            &settings(StayCategory::PgHostel, true),
            &c,
            month("04/2026"),
            d("01/05/2026"),
        )
        .unwrap()
        .unwrap();
        let lines: Vec<(&str, i64)> = draft
            .lines
            .iter()
            .map(|l| (l.description.as_str(), l.taxable_value.as_i64()))
            .collect();
        assert_eq!(lines, vec![
            ("Rent 16/04/2026 to 30/04/2026 (15 of 30 days at ₹12,000.00 a month)", 600_000),
            ("Meals (16/04/2026 to 30/04/2026)", 150_000),
            // ₹720 for 90 units; 15 of 45 person-nights.
            ("Electricity 01/04/2026 to 30/04/2026: 90.00 units at ₹8.00, your share 15 of 45 nights", 24_000),
            ("Referral discount (16/04/2026)", -50_000),
        ]);
        // ₹12,000 + ₹3,000 food + ₹240 electricity − ₹500 = ₹14,740 a month:
        // under ₹20,000 and open-ended, so exempt.
        assert_eq!(draft.gst.rule, GstRule::PgHostelExempt);
        assert_eq!(draft.title, "Bill of Supply");
        assert_eq!(draft.totals.taxable_value, Paise(724_000));
        assert_eq!(draft.totals.total, Paise(724_000));
        assert_eq!(
            draft.amount_in_words,
            "Rupees Seven Thousand Two Hundred Forty Only"
        );
        assert_eq!(draft.due_on, d("16/04/2026").max(d("01/05/2026")));
        assert_eq!(draft.lines[0].sac, "996322");
        assert_eq!(
            draft.key.to_string(),
            format!("{}/2026-04", Uuid::from_u128(1))
        );
        // Food pushes a ₹18,000 room over ₹20,000: 18% on every line.
        let mut rich = contract(3, 1_800_000, "01/01/2026");
        rich.charges.push(food(300_000));
        let draft = draft_invoice(
            &settings(StayCategory::PgHostel, true),
            &rich,
            month("04/2026"),
            d("01/04/2026"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(draft.gst.rule, GstRule::PgHostelOverLimit);
        assert_eq!(draft.title, "Tax Invoice");
        assert_eq!(
            (draft.totals.cgst, draft.totals.sgst),
            (Paise(189_000), Paise(189_000))
        );
        assert_eq!(draft.totals.total, Paise(2_478_000));
        assert_eq!(draft.due_on, d("05/04/2026"));
    }

    #[test]
    fn a_short_pg_stay_is_taxed() {
        let mut c = contract(1, 1_000_000, "01/04/2026");
        c.stays = vec![Stay::new(d("01/04/2026"), Some(d("15/06/2026"))).unwrap()];
        let draft = draft_invoice(
            &settings(StayCategory::PgHostel, true),
            &c,
            month("04/2026"),
            d("01/04/2026"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(draft.gst.rule, GstRule::PgHostelShortStay);
        // A move to another bed keeps the stay continuous.
        c.stays = vec![
            Stay::new(d("01/04/2026"), Some(d("15/05/2026"))).unwrap(),
            Stay::new(d("15/05/2026"), Some(d("01/08/2026"))).unwrap(),
        ];
        let draft = draft_invoice(
            &settings(StayCategory::PgHostel, true),
            &c,
            month("04/2026"),
            d("01/04/2026"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(draft.gst.rule, GstRule::PgHostelExempt);
        // An 11-month contract without a move-out date yet.
        c.stays = vec![Stay::ongoing(d("01/04/2026"))];
        c.terms.end_date = Some(d("28/02/2027"));
        let draft = draft_invoice(
            &settings(StayCategory::PgHostel, true),
            &c,
            month("04/2026"),
            d("01/04/2026"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(draft.gst.rule, GstRule::PgHostelExempt);
        c.terms.end_date = Some(d("30/05/2026"));
        let draft = draft_invoice(
            &settings(StayCategory::PgHostel, true),
            &c,
            month("04/2026"),
            d("01/04/2026"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(draft.gst.rule, GstRule::PgHostelShortStay);
    }

    #[test]
    fn commercial_gst_and_rounding() {
        // ₹33,333.33 a month, from the 20th of a 31-day month: 12 nights.
        let mut c = contract(1, 3_333_333, "20/05/2026");
        c.terms.yearly_escalation_bp = 0;
        let draft = draft_invoice(
            &settings(StayCategory::Commercial, true),
            &c,
            month("05/2026"),
            d("20/05/2026"),
        )
        .unwrap()
        .unwrap();
        let line = &draft.lines[0];
        assert_eq!(line.taxable_value, Paise(1_290_322)); // 33,333.33 × 12/31 = 12,903.2245…
        assert_eq!(
            (line.tax.cgst, line.tax.sgst),
            (Paise(116_129), Paise(116_129))
        ); // 9% = 1,161.2898
        assert_eq!(line.total, Paise(1_522_580));
        assert_eq!(draft.totals.round_off, Paise(20));
        assert_eq!(draft.totals.total, Paise(1_522_600));
        assert_eq!(draft.gst.rule, GstRule::CommercialForwardCharge);
        // Interstate: IGST.
        c.gst.interstate = true;
        let draft = draft_invoice(
            &settings(StayCategory::Commercial, true),
            &c,
            month("05/2026"),
            d("20/05/2026"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(draft.lines[0].tax.igst, Paise(232_258)); // 18% = 2,322.5796
        assert_eq!(draft.totals.cgst, Paise(0));
        // Reverse charge: shown, not collected, and the invoice says so.
        let mut b2b = contract(2, 5_000_000, "01/01/2026");
        b2b.gst.tenant_gstin = Some(Gstin::parse("29ABCPE1234F1Z7", "gstin").unwrap());
        let draft = draft_invoice(
            &settings(StayCategory::Commercial, false),
            &b2b,
            month("05/2026"),
            d("01/05/2026"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(draft.gst.rule, GstRule::CommercialReverseCharge);
        assert_eq!(draft.totals.tax_reverse_charge, Paise(900_000));
        assert_eq!(draft.totals.total, Paise(5_000_000));
        assert!(draft
            .notes
            .iter()
            .any(|n| n == "Tax payable on reverse charge basis: Yes"));
        assert!(draft
            .notes
            .iter()
            .any(|n| n.contains("₹9,000.00") && n.contains("recipient")));
    }

    #[test]
    fn late_fees_once_per_overdue_item() {
        let mut s = settings(StayCategory::Residential, false);
        s.late_fee = Some(LateFeeRule {
            after_days: 5,
            amount: LateFeeAmount::Flat(Paise(50_000)),
            cap: None,
        });
        let mut c = contract(1, 1_000_000, "01/01/2026");
        c.terms.yearly_escalation_bp = 0;
        let overdue = OpenItem {
            entry_id: Uuid::from_u128(50),
            account_id: c.account_id,
            invoice_id: Some(Uuid::from_u128(51)),
            issued_on: d("01/04/2026"),
            due_on: d("05/04/2026"),
            amount: Paise(1_000_000),
            paid: Paise(0),
            outstanding: Paise(1_000_000),
        };
        c.open_items = vec![overdue];
        let draft = draft_invoice(&s, &c, month("05/2026"), d("01/05/2026"))
            .unwrap()
            .unwrap();
        assert_eq!(draft.lines.len(), 2);
        assert_eq!(
            draft.lines[1].description,
            "Late fee: ₹10,000.00 due 05/04/2026, 26 days overdue"
        );
        assert_eq!(draft.late_fees_for, vec![Uuid::from_u128(50)]);
        assert_eq!(draft.totals.total, Paise(1_050_000));
        assert_eq!(draft.gst.rule, GstRule::ResidentialExempt);
        c.late_fee_charged_for = vec![Uuid::from_u128(50)];
        let draft = draft_invoice(&s, &c, month("05/2026"), d("01/05/2026"))
            .unwrap()
            .unwrap();
        assert_eq!(draft.lines.len(), 1);
        // Switched off: none.
        c.late_fee_charged_for.clear();
        let draft = draft_invoice(
            &settings(StayCategory::Residential, false),
            &c,
            month("05/2026"),
            d("01/05/2026"),
        )
        .unwrap()
        .unwrap();
        assert!(draft.late_fees_for.is_empty());
    }

    #[test]
    fn discounts_never_go_below_zero() {
        let mut c = contract(1, 1_000_000, "01/01/2026");
        c.discounts.push(Discount {
            id: Uuid::from_u128(9),
            description: "Waiver".into(),
            value: DiscountValue::Flat(Paise(5_000_000)),
            schedule: ChargeSchedule::Once {
                on: d("10/04/2026"),
            },
        });
        let draft = draft_invoice(
            &settings(StayCategory::Residential, true),
            &c,
            month("04/2026"),
            d("01/04/2026"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(draft.lines[1].taxable_value, Paise(-1_000_000));
        assert_eq!(draft.totals.total, Paise::ZERO);
        assert_eq!(draft.ledger_entry(Uuid::nil(), Uuid::nil(), "x"), None);
    }

    #[test]
    fn the_run_is_deterministic_and_idempotent_by_key() {
        let s = settings(StayCategory::PgHostel, true);
        let mut draft_contract = contract(3, 900_000, "01/01/2026");
        draft_contract.terms.status = ContractStatus::Draft;
        let left = {
            let mut c = contract(4, 900_000, "01/01/2026");
            c.stays = vec![Stay::new(d("01/01/2026"), Some(d("01/03/2026"))).unwrap()];
            c
        };
        let contracts = vec![
            contract(1, 1_000_000, "01/01/2026"),
            contract(2, 1_100_000, "10/04/2026"),
            draft_contract,
            left,
        ];
        let first = billing_run(&s, &contracts, month("04/2026"), d("01/04/2026"), &[]).unwrap();
        assert_eq!(first.drafts.len(), 2);
        assert_eq!(first.skipped.len(), 2);
        assert_eq!(first.summary(), "Created 2 invoices for April 2026");
        assert_eq!(
            billing_run(&s, &contracts, month("04/2026"), d("01/04/2026"), &[]).unwrap(),
            first
        );
        let keys: Vec<InvoiceKey> = first.drafts.iter().map(|d| d.key).collect();
        let again = billing_run(&s, &contracts, month("04/2026"), d("02/04/2026"), &keys).unwrap();
        assert!(again.drafts.is_empty());
        assert_eq!(
            again.summary(),
            "Nothing new: all 2 contracts were already invoiced for April 2026"
        );
        let partly = billing_run(
            &s,
            &contracts,
            month("04/2026"),
            d("02/04/2026"),
            &keys[..1],
        )
        .unwrap();
        assert_eq!(
            partly.summary(),
            "Created 1 invoice for April 2026; 1 was already invoiced"
        );
        let none = billing_run(&s, &[], month("04/2026"), d("02/04/2026"), &[]).unwrap();
        assert_eq!(none.summary(), "Nothing to bill for April 2026");
    }

    #[test]
    fn issue_and_book_an_invoice() {
        let s = settings(StayCategory::Residential, false);
        let c = contract(1, 1_000_000, "01/01/2026");
        let draft = draft_invoice(&s, &c, month("04/2026"), d("01/04/2026"))
            .unwrap()
            .unwrap();
        let series =
            InvoiceSeries::new(&PropertyCode::parse("BLR1", "code").unwrap(), Some("A")).unwrap();
        let number = series.next(None, draft.invoice_date).unwrap();
        assert_eq!(number.number, "BLR1A/26-27/0001");
        let mut ledger = Ledger::new();
        let entry = draft
            .ledger_entry(Uuid::from_u128(77), Uuid::from_u128(78), &number.number)
            .unwrap();
        ledger.append(entry).unwrap();
        assert_eq!(ledger.summary(c.account_id).dues, Paise(1_000_000));
        assert_eq!(
            ledger.open_items(c.account_id, None).items[0].due_on,
            d("05/04/2026")
        );
    }

    #[test]
    fn round_off_to_the_rupee() {
        for (amount, change) in [
            (1_522_581, 19),
            (100, 0),
            (149, -49),
            (150, 50),
            (0, 0),
            (99, 1),
        ] {
            assert_eq!(round_off(Paise(amount)), Paise(change), "{amount}");
        }
    }
}
