//! Invoices: the monthly billing run of a property, invoice numbers from the
//! desk's series, cancellation by reversal.
//!
//! The rules (proration, GST, totals, which contracts are already billed)
//! are the domain's [`billing_run`]; this module reads what it needs,
//! numbers the drafts and writes invoices, lines and charge entries in one
//! transaction.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use multipms_domain::billing::electricity::{split_among_occupants, Occupant};
use multipms_domain::billing::gst::TaxCharge;
use multipms_domain::billing::invoice::LineKind;
use multipms_domain::billing::{
    billing_run, BillingMonth, Charge, ContractBilling, ContractGstSettings, Discount,
    ElectricityShare, InvoiceKey, InvoiceSeries, PropertyBillingSettings, PropertyGstSettings,
    SeriesPosition, StayCategory,
};
use multipms_domain::contract::{ContractStatus, ContractTerms};
use multipms_domain::dates::format_date;
use multipms_domain::gstin::Gstin;
use multipms_domain::ledger::LedgerEntry;
use multipms_domain::property::PropertyCode;
use multipms_domain::{DomainError, FinancialYear, Paise};
use serde::Serialize;
use sqlx::{FromRow, SqliteConnection};

use uuid::Uuid;

use crate::audit::{self, AuditEntry};
use crate::charges::{property_charges, property_discounts};
use crate::clock::{iso, now, parse_iso, parse_iso_opt};
use crate::database::Store;
use crate::error::{StoreError, StoreResult};
use crate::invoice_batch::{append_invoice_charges, insert_invoices, NewInvoice, RunContext};
use crate::late_fee::{late_fees_charged, property_late_fee_rule, record_late_fee};
use crate::ledger::{append, load_ledger, uuid_of};
use crate::meter_reading::{readings_to_bill, record_share, shares_billed, ReadingToBill};
use crate::stays::{property_stays, PropertyStays, StaysOf};

/// What a billing run did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BillingRunReport {
    pub property_id: String,
    /// `2026-04`.
    pub month: String,
    /// For people: "Created 12 invoices for April 2026", "Nothing new: …".
    pub summary: String,
    /// Invoices issued by this run, in number order.
    pub created: Vec<IssuedInvoice>,
    /// Contracts that already had their invoice for the month.
    pub already_invoiced: usize,
    /// Contracts not billed, and why.
    pub skipped: Vec<SkippedContract>,
}

/// An invoice a run issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuedInvoice {
    pub id: String,
    pub number: String,
    pub contract_id: String,
    pub tenant_id: String,
    pub total_paise: i64,
}

/// A contract a run did not bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedContract {
    pub contract_id: String,
    pub reason: String,
}

/// An issued (or cancelled) invoice with its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct Invoice {
    pub id: String,
    pub number: String,
    pub property_id: String,
    pub contract_id: String,
    pub tenant_id: String,
    /// `2026-04`.
    pub month: String,
    pub invoice_date: String,
    pub due_on: String,
    /// "Invoice", "Bill of Supply" or "Tax Invoice".
    pub title: String,
    /// The GST rule's code, e.g. `residential_exempt`.
    pub gst_rule: String,
    /// `none`, `forward` or `reverse`.
    pub gst_charge: String,
    pub gst_rate_bp: i64,
    pub interstate: bool,
    pub sac: String,
    pub place_of_supply: i64,
    pub supplier_gstin: Option<String>,
    pub recipient_gstin: Option<String>,
    pub taxable_value_paise: i64,
    pub cgst_paise: i64,
    pub sgst_paise: i64,
    pub igst_paise: i64,
    pub tax_charged_paise: i64,
    pub tax_reverse_charge_paise: i64,
    pub round_off_paise: i64,
    pub total_paise: i64,
    pub amount_in_words: String,
    #[serde(skip)]
    pub notes_json: String,
    /// `issued` or `cancelled`.
    pub status: String,
    pub cancelled_on: Option<String>,
    pub cancel_reason: Option<String>,
    /// Printed notes (the GST rule and its basis…).
    #[sqlx(skip)]
    pub notes: Vec<String>,
    #[sqlx(skip)]
    pub lines: Vec<InvoiceLine>,
}

/// One printed line of an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct InvoiceLine {
    pub position: i64,
    /// `rent`, `discount` or `charge:<kind>` (`charge:food`…).
    pub kind: String,
    pub description: String,
    pub sac: String,
    pub taxable_value_paise: i64,
    pub cgst_paise: i64,
    pub sgst_paise: i64,
    pub igst_paise: i64,
    pub total_paise: i64,
}

const INVOICE_COLUMNS: &str =
    "id, number, property_id, contract_id, tenant_id, month, invoice_date, \
     due_on, title, gst_rule, gst_charge, gst_rate_bp, interstate, sac, place_of_supply, \
     supplier_gstin, recipient_gstin, taxable_value_paise, cgst_paise, sgst_paise, igst_paise, \
     tax_charged_paise, tax_reverse_charge_paise, round_off_paise, total_paise, amount_in_words, \
     notes_json, status, cancelled_on, cancel_reason";

fn decode(message: String) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(message.into()))
}

fn small<T: TryFrom<i64>>(value: i64, what: &str) -> StoreResult<T> {
    T::try_from(value).map_err(|_| decode(format!("{what} {value} is out of range")))
}

pub(crate) fn line_kind_code(kind: LineKind) -> String {
    match kind {
        LineKind::Rent => "rent".to_string(),
        LineKind::Discount => "discount".to_string(),
        LineKind::Charge(k) => format!("charge:{}", k.code()),
    }
}

pub(crate) fn tax_charge_code(charge: TaxCharge) -> &'static str {
    match charge {
        TaxCharge::None => "none",
        TaxCharge::Forward => "forward",
        TaxCharge::Reverse => "reverse",
    }
}

/// A number series as stored: its prefix and where it stands.
struct StoredSeries {
    series: InvoiceSeries,
    last: Option<SeriesPosition>,
}

pub(crate) fn position(
    fy_start: Option<i64>,
    sequence: i64,
) -> StoreResult<Option<SeriesPosition>> {
    match fy_start {
        None => Ok(None),
        Some(year) => {
            let financial_year = FinancialYear::starting(small(year, "financial year")?)
                .ok_or_else(|| decode(format!("financial year {year} is out of range")))?;
            Ok(Some(SeriesPosition {
                financial_year,
                sequence: small(sequence, "invoice sequence")?,
            }))
        }
    }
}

/// The desk's series suffixes to try, in order: one letter or digit picked
/// from the desk's identity, then the others. One character keeps four
/// digits or more for the sequence (`BLR1K/26-27/0042`, at most 9,999
/// invoices a year for a 4-letter code).
pub(crate) fn desk_suffix_candidates(desk_id: &str) -> impl Iterator<Item = String> {
    let seed = uuid::Uuid::parse_str(desk_id)
        .map(|u| u.as_u128())
        .unwrap_or_else(|_| desk_id.bytes().map(u128::from).sum());
    let start = (seed % 36) as u32;
    (0..36u32).filter_map(move |i| {
        char::from_digit((start + i) % 36, 36).map(|c| c.to_ascii_uppercase().to_string())
    })
}

/// The invoice series of `property_id` at this desk, made on first use:
/// the property code and a suffix from the desk's identity, whose prefix
/// is no other series' prefix nor another property's code.
async fn invoice_series(
    conn: &mut SqliteConnection,
    property_id: &str,
    property_code: &str,
    desk_id: &str,
) -> StoreResult<StoredSeries> {
    let stored: Option<(String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT prefix, last_fy_start, last_sequence FROM invoice_series
         WHERE property_id = ? AND desk_id = ?",
    )
    .bind(property_id)
    .bind(desk_id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((prefix, fy, sequence)) = stored {
        // The prefix stays what it was when the series began, even if the
        // property's code changes later, until it is set in Settings.
        let code = PropertyCode::parse(&prefix, "code")?;
        return Ok(StoredSeries {
            series: InvoiceSeries::new(&code, None)?,
            last: position(fy, sequence)?,
        });
    }
    let series = free_invoice_series(&mut *conn, property_id, property_code, desk_id).await?;
    let stamp = now();
    sqlx::query(
        "INSERT INTO invoice_series (property_id, desk_id, desk_suffix, prefix, last_fy_start,
            last_sequence, created_at, updated_at)
         VALUES (?, ?, ?, ?, NULL, 0, ?, ?)",
    )
    .bind(property_id)
    .bind(desk_id)
    .bind(series.desk_suffix())
    .bind(series.prefix())
    .bind(&stamp)
    .bind(&stamp)
    .execute(&mut *conn)
    .await?;
    Ok(StoredSeries { series, last: None })
}

/// The series a desk starts for a property: the property code and a
/// suffix from the desk's identity, whose prefix is no other series'
/// prefix nor another property's code.
pub(crate) async fn free_invoice_series(
    conn: &mut SqliteConnection,
    property_id: &str,
    property_code: &str,
    desk_id: &str,
) -> StoreResult<InvoiceSeries> {
    let code = PropertyCode::parse(property_code, "code")?;
    let candidates: Vec<Option<String>> = if code.as_str().len() < 6 {
        desk_suffix_candidates(desk_id).map(Some).collect()
    } else {
        vec![None]
    };
    for suffix in candidates {
        let series = InvoiceSeries::new(&code, suffix.as_deref())?;
        let taken: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM invoice_series WHERE prefix = ?1
             UNION ALL SELECT 1 FROM property WHERE code = ?1 AND id <> ?2
             LIMIT 1",
        )
        .bind(series.prefix())
        .bind(property_id)
        .fetch_optional(&mut *conn)
        .await?;
        if taken.is_none() {
            return Ok(series);
        }
    }
    Err(DomainError::conflict(format!(
        "Invoice series {} is already used by another property or desk; give this property another code",
        code.as_str()
    ))
    .into())
}

async fn save_invoice_position(
    conn: &mut SqliteConnection,
    property_id: &str,
    desk_id: &str,
    at: SeriesPosition,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE invoice_series SET last_fy_start = ?, last_sequence = ?, updated_at = ?
         WHERE property_id = ? AND desk_id = ?",
    )
    .bind(i64::from(at.financial_year.start_year()))
    .bind(i64::from(at.sequence))
    .bind(now())
    .bind(property_id)
    .bind(desk_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The next receipt number of this desk for a receipt issued on `on`
/// (`RCK/26-27/00042`), moving the desk's receipt series on.
pub(crate) async fn next_receipt_number(
    conn: &mut SqliteConnection,
    desk_id: &str,
    on: NaiveDate,
) -> StoreResult<String> {
    let stored: Option<(String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT prefix, last_fy_start, last_sequence FROM receipt_series WHERE desk_id = ?",
    )
    .bind(desk_id)
    .fetch_optional(&mut *conn)
    .await?;
    let stamp = now();
    let (series, last) = match stored {
        Some((prefix, fy, sequence)) => (
            InvoiceSeries::new(&PropertyCode::parse(&prefix, "code")?, None)?,
            position(fy, sequence)?,
        ),
        None => {
            let suffix = desk_suffix_candidates(desk_id).next();
            let series =
                InvoiceSeries::new(&PropertyCode::parse("RC", "code")?, suffix.as_deref())?;
            sqlx::query(
                "INSERT INTO receipt_series (desk_id, prefix, last_fy_start, last_sequence, created_at, updated_at)
                 VALUES (?, ?, NULL, 0, ?, ?)",
            )
            .bind(desk_id)
            .bind(series.prefix())
            .bind(&stamp)
            .bind(&stamp)
            .execute(&mut *conn)
            .await?;
            (series, None)
        }
    };
    let issued = series.next(last, on)?;
    sqlx::query(
        "UPDATE receipt_series SET last_fy_start = ?, last_sequence = ?, updated_at = ? WHERE desk_id = ?",
    )
    .bind(i64::from(issued.position.financial_year.start_year()))
    .bind(i64::from(issued.position.sequence))
    .bind(&stamp)
    .bind(desk_id)
    .execute(&mut *conn)
    .await?;
    Ok(issued.number)
}

#[derive(FromRow)]
struct PropertyRow {
    code: String,
    state_code: i64,
    gstin: Option<String>,
    gst_category: String,
    gst_rate_bp: i64,
}

#[derive(FromRow)]
struct ContractRow {
    id: String,
    allocation_id: String,
    tenant_id: String,
    monthly_rent_paise: i64,
    deposit_paise: i64,
    billing_day: i64,
    lock_in_months: i64,
    notice_days: i64,
    escalation_bp: i64,
    starts_on: String,
    ends_on: Option<String>,
    status: String,
}

impl ContractRow {
    fn terms(&self) -> StoreResult<ContractTerms> {
        Ok(ContractTerms {
            monthly_rent: Paise(self.monthly_rent_paise),
            security_deposit: Paise(self.deposit_paise),
            billing_day: small(self.billing_day, "billing day")?,
            lock_in_months: small(self.lock_in_months, "lock-in")?,
            notice_days: small(self.notice_days, "notice days")?,
            yearly_escalation_bp: small(self.escalation_bp, "escalation")?,
            start_date: parse_iso(&self.starts_on)?,
            end_date: parse_iso_opt(self.ends_on.as_deref())?,
            status: ContractStatus::parse(&self.status, "status")?,
        })
    }
}

async fn load_invoice(conn: &mut SqliteConnection, id: &str) -> StoreResult<Invoice> {
    let invoice = sqlx::query_as::<_, Invoice>(sqlx::AssertSqlSafe(format!(
        "SELECT {INVOICE_COLUMNS} FROM invoice WHERE id = ?"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::Domain(DomainError::not_found("Invoice")))?;
    with_lines(conn, invoice).await
}

async fn with_lines(conn: &mut SqliteConnection, mut invoice: Invoice) -> StoreResult<Invoice> {
    invoice.notes = serde_json::from_str(&invoice.notes_json)
        .map_err(|e| StoreError::Database(sqlx::Error::Decode(Box::new(e))))?;
    invoice.lines = sqlx::query_as::<_, InvoiceLine>(
        "SELECT position, kind, description, sac, taxable_value_paise, cgst_paise, sgst_paise,
                igst_paise, total_paise
         FROM invoice_line WHERE invoice_id = ? ORDER BY position",
    )
    .bind(&invoice.id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(invoice)
}

/// A reason a person gives for a correction: required, at most 200
/// characters.
pub(crate) fn reason_text(reason: &str) -> StoreResult<String> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(DomainError::invalid("reason", "Reason is required").into());
    }
    if reason.chars().count() > 200 {
        return Err(DomainError::invalid("reason", "Reason must be at most 200 characters").into());
    }
    Ok(reason.to_string())
}

/// What a billing run reads for the whole property besides its contracts,
/// one query each.
struct BillingInputs {
    stays: PropertyStays,
    charges: HashMap<String, Vec<Charge>>,
    discounts: HashMap<String, Vec<Discount>>,
    readings: Vec<ReadingToBill>,
    /// (reading, contract) already billed on a standing invoice.
    shares_billed: HashSet<(String, String)>,
}

impl BillingInputs {
    async fn load(
        conn: &mut SqliteConnection,
        property_id: &str,
        month: BillingMonth,
    ) -> StoreResult<BillingInputs> {
        let readings = readings_to_bill(conn, property_id, month).await?;
        let (shares_billed, stays_of) = if readings.is_empty() {
            (HashSet::new(), StaysOf::ContractsOf(month))
        } else {
            (
                shares_billed(conn, property_id, month).await?,
                StaysOf::EveryOccupant,
            )
        };
        Ok(BillingInputs {
            stays: property_stays(conn, property_id, stays_of).await?,
            charges: property_charges(conn, property_id, month).await?,
            discounts: property_discounts(conn, property_id, month).await?,
            readings,
            shares_billed,
        })
    }
}

impl Store {
    /// Bills `month` for every contract of the property: one invoice per
    /// contract and month, numbered from this desk's series, with its charge
    /// in the tenant's ledger, all in one transaction. Running the month
    /// again creates nothing new and the summary says so.
    pub async fn run_billing(
        &self,
        actor: &str,
        property_id: &str,
        month: BillingMonth,
        invoice_date: NaiveDate,
    ) -> StoreResult<BillingRunReport> {
        self.billing_run_of(actor, property_id, month, invoice_date, None)
            .await
    }

    /// Bills `month` for one contract only, as onboarding does for a
    /// tenant who moves in after the month's run: the same rules (a room's
    /// electricity is still split among all its occupants), the property's
    /// series, and nothing for the other contracts of the property.
    pub async fn bill_contract(
        &self,
        actor: &str,
        contract_id: &str,
        month: BillingMonth,
        invoice_date: NaiveDate,
    ) -> StoreResult<BillingRunReport> {
        let property_id: String = sqlx::query_scalar(
            "SELECT a.property_id FROM contract c JOIN allocation a ON a.id = c.allocation_id
             WHERE c.id = ?",
        )
        .bind(contract_id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::Domain(DomainError::not_found("Contract")))?;
        let mut report = self
            .billing_run_of(actor, &property_id, month, invoice_date, Some(contract_id))
            .await?;
        // The others were left alone, not found billed.
        report.already_invoiced = 0;
        report.skipped.retain(|s| s.contract_id == contract_id);
        report.summary = match report.created.first() {
            Some(invoice) => format!(
                "Invoice {} for {}: {}",
                invoice.number,
                month,
                multipms_domain::Paise(invoice.total_paise).to_indian_string()
            ),
            None => match report.skipped.first() {
                Some(skipped) => format!("Nothing billed for {month}: {}", skipped.reason),
                None => format!("This contract already has its invoice for {month}; nothing new"),
            },
        };
        Ok(report)
    }

    async fn billing_run_of(
        &self,
        actor: &str,
        property_id: &str,
        month: BillingMonth,
        invoice_date: NaiveDate,
        only: Option<&str>,
    ) -> StoreResult<BillingRunReport> {
        let mut tx = self.begin_write().await?;
        let property = sqlx::query_as::<_, PropertyRow>(
            "SELECT code, state_code, gstin, gst_category, gst_rate_bp FROM property WHERE id = ?",
        )
        .bind(property_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::Domain(DomainError::not_found("Property")))?;
        let settings = PropertyBillingSettings {
            gst: PropertyGstSettings {
                category: StayCategory::parse(&property.gst_category, "gst_category")?,
                supplier_gstin: property
                    .gstin
                    .as_deref()
                    .map(|g| Gstin::parse(g, "gstin"))
                    .transpose()?,
                state_code: small(property.state_code, "state code")?,
                rate_bp: small(property.gst_rate_bp, "GST rate")?,
            },
            late_fee: property_late_fee_rule(&mut tx, property_id).await?,
            round_to_rupee: true,
        };

        let rows = sqlx::query_as::<_, ContractRow>(
            "SELECT c.id, c.allocation_id, a.tenant_id, c.monthly_rent_paise, c.deposit_paise,
                    c.billing_day, c.lock_in_months, c.notice_days, c.escalation_bp, c.starts_on,
                    c.ends_on, c.status
             FROM contract c
             JOIN allocation a ON a.id = c.allocation_id
             JOIN bed b ON b.id = a.bed_id
             JOIN room r ON r.id = b.room_id
             WHERE r.property_id = ? AND c.starts_on < ? AND (c.ends_on IS NULL OR c.ends_on >= ?)
             ORDER BY r.floor, r.number, b.label, c.starts_on",
        )
        .bind(property_id)
        .bind(iso(month.end()))
        .bind(iso(month.first_day()))
        .fetch_all(&mut *tx)
        .await?;
        let inputs = BillingInputs::load(&mut tx, property_id, month).await?;
        let mut contracts = Vec::with_capacity(rows.len());
        let mut index: HashMap<Uuid, usize> = HashMap::with_capacity(rows.len());
        let mut allocation_contract: HashMap<&str, Uuid> = HashMap::new();
        let mut charges = inputs.charges;
        let mut discounts = inputs.discounts;
        for row in &rows {
            let contract_id = uuid_of(&row.id)?;
            let chain = inputs
                .stays
                .contract_stays(&row.tenant_id, &row.allocation_id);
            for (allocation, _) in &chain {
                allocation_contract.insert(*allocation, contract_id);
            }
            index.insert(contract_id, contracts.len());
            contracts.push(ContractBilling {
                contract_id,
                account_id: uuid_of(&row.tenant_id)?,
                terms: row.terms()?,
                stays: chain.into_iter().map(|(_, stay)| stay).collect(),
                gst: ContractGstSettings::default(),
                charges: charges.remove(&row.id).unwrap_or_default(),
                discounts: discounts.remove(&row.id).unwrap_or_default(),
                electricity: Vec::new(),
                open_items: Vec::new(),
                late_fee_charged_for: Vec::new(),
            });
        }
        // One query for the property, answered by the one-per-contract-and-
        // month index, so an invoice of a contract is found whichever
        // property issued it.
        let billed: HashSet<String> = sqlx::query_scalar(
            "SELECT contract_id FROM invoice
             WHERE month = ? AND status = 'issued' AND contract_id IN (
                SELECT c.id FROM contract c JOIN allocation a ON a.id = c.allocation_id
                WHERE a.property_id = ?)",
        )
        .bind(month.key())
        .bind(property_id)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();
        // Contracts this run may bill.
        let to_bill: Vec<bool> = rows
            .iter()
            .zip(&contracts)
            .map(|(row, c)| {
                !billed.contains(&row.id)
                    && c.terms.status != ContractStatus::Draft
                    && only.is_none_or(|id| id == row.id)
            })
            .collect();
        // Billed before, or (billing one contract) not this run's to bill.
        let already: Vec<InvoiceKey> = contracts
            .iter()
            .zip(&rows)
            .filter(|(_, row)| billed.contains(&row.id) || only.is_some_and(|id| id != row.id))
            .map(|(c, _)| InvoiceKey {
                contract_id: c.contract_id,
                month,
            })
            .collect();

        // Electricity: each reading's bill split among everyone who stayed
        // in the room; a share not yet billed goes on its contract's invoice.
        let mut shares_of: HashMap<Uuid, Vec<(String, ElectricityShare)>> = HashMap::new();
        if !inputs.readings.is_empty() {
            let rooms = inputs.stays.by_room();
            for reading in &inputs.readings {
                let mut occupants: Vec<Occupant> = Vec::new();
                for (allocation, stay) in rooms
                    .get(reading.room_id.as_str())
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                {
                    // Someone without a billable contract still counts
                    // their nights; their share is not billed.
                    let who = match allocation_contract.get(allocation) {
                        Some(c) => *c,
                        None => uuid_of(allocation)?,
                    };
                    match occupants.iter_mut().find(|o| o.contract_id == who) {
                        Some(o) => o.stays.push(*stay),
                        None => occupants.push(Occupant {
                            contract_id: who,
                            stays: vec![*stay],
                        }),
                    }
                }
                for share in split_among_occupants(&reading.bill, &occupants).shares {
                    let Some(&i) = index.get(&share.contract_id) else {
                        continue;
                    };
                    if !to_bill[i]
                        || inputs
                            .shares_billed
                            .contains(&(reading.id.clone(), rows[i].id.clone()))
                    {
                        continue;
                    }
                    contracts[i].electricity.push(share.clone());
                    shares_of
                        .entry(share.contract_id)
                        .or_default()
                        .push((reading.id.clone(), share));
                }
            }
        }

        // Late fees: the unpaid invoices of each tenant billed, and those
        // that already carry a fee (charged once).
        if settings.late_fee.is_some() {
            let mut accounts: HashSet<&str> = HashSet::new();
            for (i, row) in rows.iter().enumerate() {
                if !to_bill[i] || !accounts.insert(row.tenant_id.as_str()) {
                    continue;
                }
                let ledger = load_ledger(&mut tx, Some(&row.tenant_id)).await?;
                let open = ledger.open_items(contracts[i].account_id, Some(invoice_date));
                let charged = late_fees_charged(&mut tx, &row.tenant_id).await?;
                contracts[i].open_items = open
                    .items
                    .into_iter()
                    .filter(|item| item.invoice_id.is_some())
                    .collect();
                contracts[i].late_fee_charged_for = contracts[i]
                    .open_items
                    .iter()
                    .map(|item| item.entry_id)
                    .filter(|id| charged.contains(&id.to_string()))
                    .collect();
            }
        }

        let run = billing_run(&settings, &contracts, month, invoice_date, &already)?;

        let mut created = Vec::with_capacity(run.drafts.len());
        if !run.drafts.is_empty() {
            let StoredSeries { series, mut last } =
                invoice_series(&mut tx, property_id, &property.code, self.desk_id()).await?;
            let stamp = now();
            let mut invoices = Vec::with_capacity(run.drafts.len());
            let mut charges = Vec::with_capacity(run.drafts.len());
            let mut shares = Vec::new();
            let mut fees = Vec::new();
            for draft in &run.drafts {
                let issued = series.next(last, draft.invoice_date)?;
                last = Some(issued.position);
                let invoice_id = Uuid::now_v7();
                let id = invoice_id.to_string();
                let notes_json = serde_json::to_string(&draft.notes)
                    .map_err(|e| StoreError::Database(sqlx::Error::Encode(Box::new(e))))?;
                if let Some(entry) = draft.ledger_entry(
                    Uuid::now_v7(),
                    invoice_id,
                    &format!("Invoice {}", issued.number),
                ) {
                    charges.push((entry, issued.number.clone()));
                }
                for (reading_id, share) in shares_of
                    .get(&draft.key.contract_id)
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                {
                    shares.push((reading_id.as_str(), share, id.clone()));
                }
                if let (Some(rule), Some(&i)) =
                    (&settings.late_fee, index.get(&draft.key.contract_id))
                {
                    for item_id in &draft.late_fees_for {
                        let fee = contracts[i]
                            .open_items
                            .iter()
                            .find(|item| item.entry_id == *item_id)
                            .and_then(|item| rule.assess(item, draft.invoice_date));
                        if let Some(fee) = fee {
                            fees.push((fee, id.clone()));
                        }
                    }
                }
                created.push(IssuedInvoice {
                    id: id.clone(),
                    number: issued.number.clone(),
                    contract_id: draft.key.contract_id.to_string(),
                    tenant_id: draft.account_id.to_string(),
                    total_paise: draft.totals.total.as_i64(),
                });
                invoices.push(NewInvoice {
                    id,
                    number: issued.number,
                    fy_start: i64::from(issued.position.financial_year.start_year()),
                    sequence: i64::from(issued.position.sequence),
                    notes_json,
                    draft,
                });
            }
            let month_key = month.key();
            insert_invoices(
                &mut tx,
                &RunContext {
                    property_id,
                    month: &month_key,
                    series_prefix: series.prefix(),
                    desk_id: self.desk_id(),
                    stamp: &stamp,
                },
                &invoices,
            )
            .await?;
            append_invoice_charges(&mut tx, self.desk_id(), &charges).await?;
            for (reading_id, share, invoice_id) in &shares {
                record_share(&mut tx, reading_id, share, invoice_id).await?;
            }
            for (fee, invoice_id) in &fees {
                record_late_fee(&mut tx, fee, invoice_id).await?;
            }
            audit::record_issued(
                &mut tx,
                self.desk_id(),
                actor,
                "issue",
                "invoice",
                &created,
                |i| i.id.as_str(),
            )
            .await?;
            if let Some(at) = last {
                save_invoice_position(&mut tx, property_id, self.desk_id(), at).await?;
            }
        }
        tx.commit().await?;
        Ok(BillingRunReport {
            property_id: property_id.to_string(),
            month: month.key(),
            summary: run.summary(),
            created,
            already_invoiced: run.already_invoiced,
            skipped: run
                .skipped
                .iter()
                .map(|s| SkippedContract {
                    contract_id: s.contract_id.to_string(),
                    reason: s.reason.clone(),
                })
                .collect(),
        })
    }

    /// One invoice with its lines.
    pub async fn invoice(&self, id: &str) -> StoreResult<Invoice> {
        let mut conn = self.pool().acquire().await?;
        load_invoice(&mut conn, id).await
    }

    /// The invoices of a property for `month`, issued and cancelled, in
    /// number order.
    pub async fn invoices_for_month(
        &self,
        property_id: &str,
        month: BillingMonth,
    ) -> StoreResult<Vec<Invoice>> {
        let mut conn = self.pool().acquire().await?;
        let rows = sqlx::query_as::<_, Invoice>(sqlx::AssertSqlSafe(format!(
            "SELECT {INVOICE_COLUMNS} FROM invoice WHERE property_id = ? AND month = ?
             ORDER BY series_prefix, fy_start, sequence"
        )))
        .bind(property_id)
        .bind(month.key())
        .fetch_all(&mut *conn)
        .await?;
        let mut invoices = Vec::with_capacity(rows.len());
        for row in rows {
            invoices.push(with_lines(&mut conn, row).await?);
        }
        Ok(invoices)
    }

    /// A tenant's invoices, oldest first.
    pub async fn tenant_invoices(&self, tenant_id: &str) -> StoreResult<Vec<Invoice>> {
        let mut conn = self.pool().acquire().await?;
        let rows = sqlx::query_as::<_, Invoice>(sqlx::AssertSqlSafe(format!(
            "SELECT {INVOICE_COLUMNS} FROM invoice WHERE tenant_id = ?
             ORDER BY invoice_date, series_prefix, fy_start, sequence"
        )))
        .bind(tenant_id)
        .fetch_all(&mut *conn)
        .await?;
        let mut invoices = Vec::with_capacity(rows.len());
        for row in rows {
            invoices.push(with_lines(&mut conn, row).await?);
        }
        Ok(invoices)
    }

    /// Cancels an issued invoice on `on`: its charge is reversed in the
    /// ledger (whatever was paid against it becomes credit) and the number
    /// stays used. The contract's month can then be billed again.
    pub async fn cancel_invoice(
        &self,
        actor: &str,
        invoice_id: &str,
        on: NaiveDate,
        reason: &str,
    ) -> StoreResult<Invoice> {
        let reason = reason_text(reason)?;
        let mut tx = self.begin_write().await?;
        let before = load_invoice(&mut tx, invoice_id).await?;
        if before.status == "cancelled" {
            return Err(DomainError::conflict(format!(
                "Invoice {} is already cancelled",
                before.number
            ))
            .into());
        }
        let invoice_date = parse_iso(&before.invoice_date)?;
        if on < invoice_date {
            return Err(DomainError::invalid(
                "on",
                format!(
                    "Cancellation date cannot be before the invoice date ({})",
                    format_date(invoice_date)
                ),
            )
            .into());
        }
        let mut ledger = load_ledger(&mut tx, Some(&before.tenant_id)).await?;
        let invoice_uuid = uuid_of(invoice_id)?;
        let charge: Option<LedgerEntry> = ledger
            .entries()
            .iter()
            .find(|e| {
                e.invoice_id == Some(invoice_uuid)
                    && e.kind == multipms_domain::ledger::EntryKind::Charge
                    && !ledger.is_reversed(e.id)
            })
            .cloned();
        if let Some(charge) = charge {
            let reversal = LedgerEntry::reversal_of(
                &charge,
                uuid::Uuid::now_v7(),
                on,
                &format!("Invoice {} cancelled: {reason}", before.number),
            );
            append(&mut tx, self.desk_id(), &mut ledger, vec![reversal]).await?;
        }
        sqlx::query(
            "UPDATE invoice SET status = 'cancelled', cancelled_on = ?, cancel_reason = ?, updated_at = ?
             WHERE id = ?",
        )
        .bind(iso(on))
        .bind(&reason)
        .bind(now())
        .bind(invoice_id)
        .execute(&mut *tx)
        .await?;
        let after = load_invoice(&mut tx, invoice_id).await?;
        audit::record(
            &mut tx,
            AuditEntry {
                desk_id: self.desk_id(),
                actor,
                action: "cancel",
                entity: "invoice",
                entity_id: invoice_id,
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
