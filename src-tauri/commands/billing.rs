use multipms_domain::billing::period::BillingMonth;
use multipms_domain::payment::PaymentInput;
use multipms_store::billing::BillingRunReport;
use multipms_store::invoice_page::InvoicePage;
use multipms_store::ledger::{DuesPage, TenantLedger};
use multipms_store::payment::RecordedPayment;
use multipms_store::today;
use tauri::State;

use super::date_arg;
use crate::error::CommandError;
use crate::state::AppState;

/// Tenants on one page of the dues list unless the UI asks otherwise.
const DUES_PAGE: u32 = 200;

/// Invoices a page when the UI does not say.
const INVOICE_PAGE: u32 = 200;

/// Bills a month ("MM/YYYY" or "YYYY-MM") for every contract of a property.
#[tauri::command]
pub async fn run_billing(
    state: State<'_, AppState>,
    property_id: String,
    month: String,
    invoice_date: Option<String>,
) -> Result<BillingRunReport, CommandError> {
    let month = BillingMonth::parse(&month, "month")?;
    let invoice_date = match invoice_date.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => date_arg(text, "invoice_date")?,
        _ => today(),
    };
    Ok(state
        .store()?
        .run_billing(&state.actor(), &property_id, month, invoice_date)
        .await?)
}

/// Bills a month for one contract only (a tenant who moved in after the
/// month's run).
#[tauri::command]
pub async fn bill_contract(
    state: State<'_, AppState>,
    contract_id: String,
    month: String,
    invoice_date: Option<String>,
) -> Result<BillingRunReport, CommandError> {
    let month = BillingMonth::parse(&month, "month")?;
    let invoice_date = match invoice_date.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => date_arg(text, "invoice_date")?,
        _ => today(),
    };
    Ok(state
        .store()?
        .bill_contract(&state.actor(), &contract_id, month, invoice_date)
        .await?)
}

/// One page of a property's invoices of a month, each with its tenant's
/// name, with the month's count and total. `offset` defaults to 0 and
/// `limit` to 200 (at most 1,000).
#[tauri::command]
pub async fn invoice_page(
    state: State<'_, AppState>,
    property_id: String,
    month: String,
    offset: Option<u32>,
    limit: Option<u32>,
) -> Result<InvoicePage, CommandError> {
    let month = BillingMonth::parse(&month, "month")?;
    Ok(state
        .store()?
        .invoice_page(
            &property_id,
            month,
            offset.unwrap_or(0),
            limit.unwrap_or(INVOICE_PAGE),
        )
        .await?)
}

/// Records a payment and applies it to the oldest open invoices.
#[tauri::command]
pub async fn record_payment(
    state: State<'_, AppState>,
    tenant_id: String,
    input: PaymentInput,
) -> Result<RecordedPayment, CommandError> {
    Ok(state
        .store()?
        .record_payment(&state.actor(), &tenant_id, &input)
        .await?)
}

#[tauri::command]
pub async fn tenant_ledger(
    state: State<'_, AppState>,
    tenant_id: String,
) -> Result<TenantLedger, CommandError> {
    Ok(state.store()?.tenant_ledger(&tenant_id).await?)
}

/// One page of who owes what, aged 0–30, 31–60, 61–90 and over 90 days,
/// most owed first, with the totals over everyone who owes. `offset`
/// defaults to 0 and `limit` to 200 (at most 1,000).
#[tauri::command]
pub async fn dues_report(
    state: State<'_, AppState>,
    as_of: Option<String>,
    offset: Option<u32>,
    limit: Option<u32>,
) -> Result<DuesPage, CommandError> {
    let as_of = match as_of.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => date_arg(text, "as_of")?,
        _ => today(),
    };
    Ok(state
        .store()?
        .dues_page(as_of, offset.unwrap_or(0), limit.unwrap_or(DUES_PAGE))
        .await?)
}
