//! Billing a month for a property: the domain's billing run over the
//! property's contracts (proration, escalation, GST), one invoice per
//! contract and month, numbered in the property's series, with its charge
//! in the tenant's ledger — all in one transaction. Running a month again
//! creates nothing new and says so.

use axum::extract::{Path, State};
use axum::Json;
use chrono::NaiveDate;
use multipms_domain::allocation::Stay;
use multipms_domain::billing::gst::TaxCharge;
use multipms_domain::billing::invoice::{billing_run, ContractBilling, InvoiceKey, LineKind};
use multipms_domain::billing::{
    BillingMonth, ContractGstSettings, PropertyBillingSettings, PropertyGstSettings, StayCategory,
};
use multipms_domain::dates::parse_optional_date;
use multipms_domain::gstin::Gstin;
use multipms_domain::ledger::Ledger;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{contracts, ledger, properties};
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::db::{begin_org, OrgTx};
use crate::error::{ApiError, ApiResult};
use crate::numbering::{LockedSeries, SeriesKind};
use crate::roles::{Action, Caller};

/// What to bill.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct BillingRunBody {
    /// The month: MM/YYYY (or YYYY-MM).
    pub month: String,
    /// Invoice date, DD/MM/YYYY; blank for the first day of the month.
    pub invoice_date: Option<String>,
}

/// An invoice the run issued.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IssuedInvoice {
    /// Id.
    pub id: Uuid,
    /// Number.
    pub number: String,
    /// The contract billed.
    pub contract_id: Uuid,
    /// The tenant billed.
    pub tenant_id: Uuid,
    /// Its total.
    pub total_paise: i64,
}

/// A contract the run did not bill, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkippedContract {
    /// The contract.
    pub contract_id: Uuid,
    /// Why.
    pub reason: String,
}

/// What a billing run did.
#[derive(Debug, Serialize, ToSchema)]
pub struct BillingRunOut {
    /// The property.
    pub property_id: Uuid,
    /// The month, YYYY-MM.
    pub month: String,
    /// For people: "Created 12 invoices for April 2026".
    pub summary: String,
    /// Invoices issued now.
    pub created: Vec<IssuedInvoice>,
    /// Contracts already invoiced for the month.
    pub already_invoiced: i64,
    /// Contracts with nothing to bill.
    pub skipped: Vec<SkippedContract>,
}

#[derive(sqlx::FromRow)]
struct PropertyRow {
    code: String,
    state_code: i16,
    gstin: Option<String>,
    gst_category: String,
    gst_rate_bp: i32,
}

fn line_kind_code(kind: LineKind) -> String {
    match kind {
        LineKind::Rent => "rent".to_string(),
        LineKind::Discount => "discount".to_string(),
        LineKind::Charge(k) => format!("charge:{}", k.code()),
    }
}

fn tax_charge_code(charge: TaxCharge) -> &'static str {
    match charge {
        TaxCharge::None => "none",
        TaxCharge::Forward => "forward",
        TaxCharge::Reverse => "reverse",
    }
}

/// The stays billed under a contract: its own allocation and the moves that
/// continued it (an allocation of the same tenant, without a contract of
/// its own, starting the day the previous one ended).
async fn contract_stays(
    tx: &mut OrgTx,
    org_id: Uuid,
    contract: &contracts::ContractOut,
) -> ApiResult<Vec<Stay>> {
    let rows: Vec<(Uuid, NaiveDate, Option<NaiveDate>, bool)> = sqlx::query_as(
        "SELECT a.id, a.move_in, a.move_out, \
                EXISTS (SELECT 1 FROM contract c WHERE c.org_id = a.org_id AND c.allocation_id = a.id) \
         FROM allocation a WHERE a.org_id = $1 AND a.tenant_id = $2 ORDER BY a.move_in",
    )
    .bind(org_id)
    .bind(contract.tenant_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut stays = Vec::new();
    let mut end: Option<Option<NaiveDate>> = None;
    for (id, move_in, move_out, has_contract) in rows {
        let continues = match end {
            None => id == contract.allocation_id,
            Some(Some(last_out)) => !has_contract && move_in == last_out,
            Some(None) => false,
        };
        if continues {
            stays.push(Stay::new(move_in, move_out)?);
            end = Some(move_out);
        }
    }
    Ok(stays)
}

/// Bills a month for a property (owner, manager, front desk at the
/// property): an invoice for every active contract not yet invoiced for the
/// month.
#[utoipa::path(post, path = "/api/v1/properties/{id}/billing-runs", tag = "invoices", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = BillingRunBody,
    responses((status = 200, body = BillingRunOut), (status = 403, body = crate::error::ErrorBody),
    (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
    (status = 422, body = crate::error::ErrorBody)))]
pub async fn run(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    Json(body): Json<BillingRunBody>,
) -> ApiResult<Json<BillingRunOut>> {
    caller.require(Action::WriteMoney)?;
    let month = BillingMonth::parse(&body.month, "month")?;
    let invoice_date =
        parse_optional_date(body.invoice_date.as_deref(), "invoice_date", "Invoice date")?
            .unwrap_or(month.first_day());
    let mut tx = begin_org(&state.pool, caller.org_id).await?;
    properties::fetch(&mut tx, &caller, id).await?;
    let property: PropertyRow = sqlx::query_as(
        "SELECT code, state_code, gstin, gst_category, gst_rate_bp FROM property \
         WHERE org_id = $1 AND id = $2 FOR UPDATE",
    )
    .bind(caller.org_id)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let settings = PropertyBillingSettings {
        gst: PropertyGstSettings {
            category: StayCategory::parse(&property.gst_category, "gst_category")?,
            supplier_gstin: property
                .gstin
                .as_deref()
                .map(|g| Gstin::parse(g, "gstin"))
                .transpose()?,
            state_code: u8::try_from(property.state_code).map_err(ApiError::internal)?,
            rate_bp: u32::try_from(property.gst_rate_bp).map_err(ApiError::internal)?,
        },
        late_fee: None,
        round_to_rupee: true,
    };

    let rows =
        contracts::of_property(&mut tx, caller.org_id, id, month.first_day(), month.end()).await?;
    let mut billing = Vec::with_capacity(rows.len());
    for row in &rows {
        billing.push(ContractBilling {
            contract_id: row.id,
            account_id: row.tenant_id,
            terms: row.terms()?,
            stays: contract_stays(&mut tx, caller.org_id, row).await?,
            gst: ContractGstSettings::default(),
            charges: Vec::new(),
            discounts: Vec::new(),
            electricity: Vec::new(),
            open_items: Vec::new(),
            late_fee_charged_for: Vec::new(),
        });
    }
    let ids: Vec<Uuid> = rows.iter().map(|c| c.id).collect();
    let already: Vec<InvoiceKey> = sqlx::query_scalar::<_, Uuid>(
        "SELECT contract_id FROM invoice \
         WHERE org_id = $1 AND contract_id = ANY($2) AND month = $3 AND status = 'issued'",
    )
    .bind(caller.org_id)
    .bind(&ids)
    .bind(month.key())
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|contract_id| InvoiceKey { contract_id, month })
    .collect();

    let run = billing_run(&settings, &billing, month, invoice_date, &already)?;

    let mut created = Vec::with_capacity(run.drafts.len());
    if !run.drafts.is_empty() {
        let mut series =
            LockedSeries::lock(&mut tx, caller.org_id, SeriesKind::Invoice, &property.code).await?;
        for draft in &run.drafts {
            let issued = series.next(draft.invoice_date)?;
            let invoice_id = Uuid::now_v7();
            let t = &draft.totals;
            sqlx::query(
                "INSERT INTO invoice (id, org_id, number, series_prefix, fy_start, sequence, property_id, \
                 contract_id, tenant_id, month, invoice_date, due_on, title, gst_rule, gst_charge, \
                 gst_rate_bp, interstate, sac, place_of_supply, supplier_gstin, recipient_gstin, \
                 taxable_value_paise, cgst_paise, sgst_paise, igst_paise, tax_charged_paise, \
                 tax_reverse_charge_paise, round_off_paise, total_paise, amount_in_words, notes, \
                 user_id, desk_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
                 $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33)",
            )
            .bind(invoice_id)
            .bind(caller.org_id)
            .bind(&issued.number)
            .bind(series.prefix())
            .bind(issued.position.financial_year.start_year())
            .bind(i32::try_from(issued.position.sequence).map_err(ApiError::internal)?)
            .bind(id)
            .bind(draft.key.contract_id)
            .bind(draft.account_id)
            .bind(month.key())
            .bind(draft.invoice_date)
            .bind(draft.due_on)
            .bind(draft.title)
            .bind(draft.gst.rule.code())
            .bind(tax_charge_code(draft.gst.charge))
            .bind(i32::try_from(draft.gst.rate_bp).map_err(ApiError::internal)?)
            .bind(draft.gst.interstate)
            .bind(draft.gst.sac)
            .bind(i16::from(draft.gst.place_of_supply))
            .bind(draft.gst.supplier_gstin.as_ref().map(|g| g.as_str().to_string()))
            .bind(draft.gst.recipient_gstin.as_ref().map(|g| g.as_str().to_string()))
            .bind(t.taxable_value.as_i64())
            .bind(t.cgst.as_i64())
            .bind(t.sgst.as_i64())
            .bind(t.igst.as_i64())
            .bind(t.tax_charged.as_i64())
            .bind(t.tax_reverse_charge.as_i64())
            .bind(t.round_off.as_i64())
            .bind(t.total.as_i64())
            .bind(&draft.amount_in_words)
            .bind(sqlx::types::Json(&draft.notes))
            .bind(caller.user_id)
            .bind(caller.desk_id.as_deref())
            .execute(&mut *tx)
            .await?;
            for (index, line) in draft.lines.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO invoice_line (org_id, invoice_id, position, kind, description, sac, \
                     taxable_value_paise, cgst_paise, sgst_paise, igst_paise, total_paise) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(caller.org_id)
                .bind(invoice_id)
                .bind(i16::try_from(index + 1).map_err(ApiError::internal)?)
                .bind(line_kind_code(line.kind))
                .bind(&line.description)
                .bind(line.sac)
                .bind(line.taxable_value.as_i64())
                .bind(line.tax.cgst.as_i64())
                .bind(line.tax.sgst.as_i64())
                .bind(line.tax.igst.as_i64())
                .bind(line.total.as_i64())
                .execute(&mut *tx)
                .await?;
            }
            if let Some(entry) = draft.ledger_entry(
                Uuid::now_v7(),
                invoice_id,
                &format!("Invoice {}", issued.number),
            ) {
                // A new invoice's charge: the rules that need the account's
                // history (reversals, payments) do not apply to it.
                ledger::append(&mut tx, &caller, &mut Ledger::new(), entry).await?;
            }
            let issued_invoice = IssuedInvoice {
                id: invoice_id,
                number: issued.number,
                contract_id: draft.key.contract_id,
                tenant_id: draft.account_id,
                total_paise: t.total.as_i64(),
            };
            audit::record(
                &mut tx,
                &caller,
                Entry {
                    action: "issue",
                    entity: "invoice",
                    entity_id: invoice_id,
                    before: None,
                    after: audit::snapshot(&issued_invoice),
                },
            )
            .await?;
            created.push(issued_invoice);
        }
        series.save(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(Json(BillingRunOut {
        property_id: id,
        month: month.key(),
        summary: run.summary(),
        created,
        already_invoiced: i64::try_from(run.already_invoiced).unwrap_or(i64::MAX),
        skipped: run
            .skipped
            .iter()
            .map(|s| SkippedContract {
                contract_id: s.contract_id,
                reason: s.reason.clone(),
            })
            .collect(),
    }))
}
