//! Payments: recorded with a receipt number, applied to the oldest open
//! invoices (or those chosen), one UTR booked once; reversed, and cheques
//! cleared or bounced, by new ledger entries only.

use chrono::NaiveDate;
use multipms_domain::dates::format_date;
use multipms_domain::ledger::{EntryKind, Ledger, LedgerEntry, MAX_ENTRY_AMOUNT};
use multipms_domain::payment::{
    allocate, bounce_entries, ChequeState, PaymentDetails, PaymentInput, PaymentPurpose, Pick,
};
use multipms_domain::{DomainError, Paise};
use serde::Serialize;
use sqlx::{FromRow, SqliteConnection};

use crate::audit::{self, AuditEntry};
use crate::billing::{next_receipt_number, reason_text};
use crate::clock::{iso, now, parse_iso, today};
use crate::database::Store;
use crate::error::{StoreError, StoreResult};
use crate::ledger::{append, balance_of, load_ledger, uuid_of, AccountBalance};
use crate::tenant::load_tenant;

/// A recorded payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct Payment {
    pub id: String,
    pub receipt_number: String,
    pub tenant_id: String,
    /// `upi`, `cash`, `bank_transfer` or `cheque`.
    pub mode: String,
    /// `dues` or `security_deposit`.
    pub purpose: String,
    pub amount_paise: i64,
    /// The day it was paid (for a cheque, the date on it).
    pub paid_on: String,
    /// When the desk booked it.
    pub recorded_at: String,
    /// Normalised UTR of a UPI or bank payment.
    pub utr: Option<String>,
    pub cheque_number: Option<String>,
    pub cheque_bank: Option<String>,
    /// `pending`, `cleared` or `bounced`.
    pub cheque_state: Option<String>,
    pub cheque_state_on: Option<String>,
    pub note: Option<String>,
    /// Set when the payment was reversed (or its cheque bounced).
    pub reversed_on: Option<String>,
    pub reverse_reason: Option<String>,
}

/// Part of a payment applied to one invoice (or other charge).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedAmount {
    pub item_entry_id: String,
    pub invoice_id: Option<String>,
    pub invoice_number: Option<String>,
    pub amount_paise: i64,
}

/// What recording a payment did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedPayment {
    pub payment: Payment,
    /// How it was applied, oldest due first unless invoices were chosen.
    pub applied: Vec<AppliedAmount>,
    /// What it left over, as credit on the account.
    pub credit_paise: i64,
    /// For the receipt: a cheque is "subject to realisation".
    pub receipt_note: Option<String>,
    /// The account after it.
    pub balance: AccountBalance,
}

const PAYMENT_COLUMNS: &str =
    "id, receipt_number, tenant_id, mode, purpose, amount_paise, paid_on, \
     recorded_at, utr, cheque_number, cheque_bank, cheque_state, cheque_state_on, note, \
     reversed_on, reverse_reason";

async fn load_payment(conn: &mut SqliteConnection, id: &str) -> StoreResult<Payment> {
    sqlx::query_as::<_, Payment>(sqlx::AssertSqlSafe(format!(
        "SELECT {PAYMENT_COLUMNS} FROM payment WHERE id = ?"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| DomainError::not_found("Payment").into())
}

fn purpose_code(purpose: PaymentPurpose) -> &'static str {
    match purpose {
        PaymentPurpose::Dues => "dues",
        PaymentPurpose::SecurityDeposit => "security_deposit",
    }
}

/// The refusal of a UTR already booked, naming the payment it belongs to.
async fn refuse_booked_utr(conn: &mut SqliteConnection, utr: &str) -> StoreResult<()> {
    let booked: Option<(String, String, String)> = sqlx::query_as(
        "SELECT p.receipt_number, t.full_name, p.paid_on
         FROM payment p JOIN tenant t ON t.id = p.tenant_id
         WHERE p.utr IS NOT NULL AND p.reversed_on IS NULL
           AND upper(replace(replace(p.utr, ' ', ''), '-', '')) = ?",
    )
    .bind(utr)
    .fetch_optional(&mut *conn)
    .await?;
    match booked {
        None => Ok(()),
        Some((receipt, name, paid_on)) => Err(DomainError::invalid(
            "reference",
            format!(
                "UTR {utr} is already booked: receipt {receipt} for {name}, paid on {}; the same transfer cannot be booked twice",
                format_date(parse_iso(&paid_on)?)
            ),
        )
        .into()),
    }
}

/// The standing payment (or deposit) entry of a payment record.
fn standing_entry(ledger: &Ledger, payment_id: &str) -> StoreResult<LedgerEntry> {
    let id = uuid_of(payment_id)?;
    ledger
        .entries()
        .iter()
        .find(|e| {
            e.payment_id == Some(id)
                && matches!(e.kind, EntryKind::Payment | EntryKind::DepositHeld)
                && !ledger.is_reversed(e.id)
        })
        .cloned()
        .ok_or_else(|| DomainError::conflict("This payment is already reversed").into())
}

impl Store {
    pub async fn payment(&self, id: &str) -> StoreResult<Payment> {
        let mut conn = self.pool().acquire().await?;
        load_payment(&mut conn, id).await
    }

    /// A tenant's payments, oldest first.
    pub async fn tenant_payments(&self, tenant_id: &str) -> StoreResult<Vec<Payment>> {
        Ok(sqlx::query_as::<_, Payment>(sqlx::AssertSqlSafe(format!(
            "SELECT {PAYMENT_COLUMNS} FROM payment WHERE tenant_id = ? ORDER BY paid_on, recorded_at"
        )))
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// Records a payment from a tenant, applied to their oldest open
    /// invoices; what is left is credit. See [`Store::record_payment_to`].
    pub async fn record_payment(
        &self,
        actor: &str,
        tenant_id: &str,
        input: &PaymentInput,
    ) -> StoreResult<RecordedPayment> {
        self.record_payment_to(actor, tenant_id, input, &[]).await
    }

    /// Records a payment, applied first to the invoices `picks` chooses,
    /// then to the oldest open ones; what is left is credit. A security
    /// deposit is held, not applied. Refuses bad input and a UTR already
    /// booked (naming the payment it belongs to), and then writes nothing.
    pub async fn record_payment_to(
        &self,
        actor: &str,
        tenant_id: &str,
        input: &PaymentInput,
        picks: &[Pick],
    ) -> StoreResult<RecordedPayment> {
        let details: PaymentDetails = input.validate(today())?;
        let mut tx = self.begin_write().await?;
        load_tenant(&mut tx, tenant_id).await?;
        if let Some(utr) = &details.utr {
            refuse_booked_utr(&mut tx, utr.as_str()).await?;
        }
        let account = uuid_of(tenant_id)?;
        let mut ledger = load_ledger(&mut tx, Some(tenant_id)).await?;
        let (allocations, credit) = match details.purpose {
            PaymentPurpose::Dues => {
                let open = ledger.open_items(account, None);
                let plan = allocate(details.amount, &open.items, picks)?;
                (plan.allocations, plan.credit)
            }
            PaymentPurpose::SecurityDeposit => {
                if !picks.is_empty() {
                    return Err(DomainError::invalid(
                        "picks",
                        "A security deposit is held, not applied to invoices",
                    )
                    .into());
                }
                (Vec::new(), Paise::ZERO)
            }
        };
        let payment_uuid = uuid::Uuid::now_v7();
        let entry = details.ledger_entry(
            uuid::Uuid::now_v7(),
            account,
            payment_uuid,
            allocations.clone(),
        );
        ledger.check(&entry)?;

        let receipt_number = next_receipt_number(&mut tx, self.desk_id(), today()).await?;
        let stamp = now();
        let payment = Payment {
            id: payment_uuid.to_string(),
            receipt_number,
            tenant_id: tenant_id.to_string(),
            mode: details.mode.code().to_string(),
            purpose: purpose_code(details.purpose).to_string(),
            amount_paise: details.amount.as_i64(),
            paid_on: iso(details.paid_on),
            recorded_at: stamp.clone(),
            utr: details.utr.as_ref().map(|u| u.as_str().to_string()),
            cheque_number: details.cheque.as_ref().map(|c| c.number.clone()),
            cheque_bank: details.cheque.as_ref().map(|c| c.bank.clone()),
            cheque_state: details.cheque.as_ref().map(|c| c.state.code().to_string()),
            cheque_state_on: None,
            note: details.note.clone(),
            reversed_on: None,
            reverse_reason: None,
        };
        sqlx::query(
            "INSERT INTO payment (id, receipt_number, tenant_id, mode, purpose, amount_paise, paid_on,
                recorded_at, utr, cheque_number, cheque_bank, cheque_state, note, desk_id,
                created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&payment.id)
        .bind(&payment.receipt_number)
        .bind(&payment.tenant_id)
        .bind(&payment.mode)
        .bind(&payment.purpose)
        .bind(payment.amount_paise)
        .bind(&payment.paid_on)
        .bind(&payment.recorded_at)
        .bind(&payment.utr)
        .bind(&payment.cheque_number)
        .bind(&payment.cheque_bank)
        .bind(&payment.cheque_state)
        .bind(&payment.note)
        .bind(self.desk_id())
        .bind(&stamp)
        .bind(&stamp)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if e.to_string().contains("payment_utr_once") {
                DomainError::invalid(
                    "reference",
                    "This UTR is already booked; the same transfer cannot be booked twice",
                )
                .into()
            } else {
                StoreError::from(e)
            }
        })?;
        append(&mut tx, self.desk_id(), &mut ledger, vec![entry]).await?;

        let mut applied = Vec::with_capacity(allocations.len());
        for a in &allocations {
            let item = a.item_entry_id.to_string();
            let (invoice_id, invoice_number): (Option<String>, Option<String>) = sqlx::query_as(
                "SELECT e.invoice_id, i.number FROM ledger_entry e
                 LEFT JOIN invoice i ON i.id = e.invoice_id WHERE e.id = ?",
            )
            .bind(&item)
            .fetch_one(&mut *tx)
            .await?;
            applied.push(AppliedAmount {
                item_entry_id: item,
                invoice_id,
                invoice_number,
                amount_paise: a.amount.as_i64(),
            });
        }
        audit::record(
            &mut tx,
            AuditEntry::<(), _> {
                desk_id: self.desk_id(),
                actor,
                action: "record",
                entity: "payment",
                entity_id: &payment.id,
                before: None,
                after: Some(&(&payment, &applied)),
            },
        )
        .await?;
        tx.commit().await?;
        let open = ledger.open_items(account, None);
        Ok(RecordedPayment {
            receipt_note: details.receipt_note(),
            credit_paise: credit.as_i64(),
            balance: balance_of(&ledger, account, &open),
            payment,
            applied,
        })
    }

    /// Undoes a payment booked in error, on `on`, by a reversal entry; its
    /// UTR may then be booked again (on the right tenant).
    pub async fn reverse_payment(
        &self,
        actor: &str,
        payment_id: &str,
        on: NaiveDate,
        reason: &str,
    ) -> StoreResult<Payment> {
        let reason = reason_text(reason)?;
        let mut tx = self.begin_write().await?;
        let before = load_payment(&mut tx, payment_id).await?;
        if before.reversed_on.is_some() {
            return Err(DomainError::conflict(format!(
                "Payment {} is already reversed",
                before.receipt_number
            ))
            .into());
        }
        let mut ledger = load_ledger(&mut tx, Some(&before.tenant_id)).await?;
        let entry = standing_entry(&ledger, payment_id)?;
        let reversal = LedgerEntry::reversal_of(
            &entry,
            uuid::Uuid::now_v7(),
            on,
            &format!("Payment {} reversed: {reason}", before.receipt_number),
        );
        append(&mut tx, self.desk_id(), &mut ledger, vec![reversal]).await?;
        sqlx::query(
            "UPDATE payment SET reversed_on = ?, reverse_reason = ?, updated_at = ? WHERE id = ?",
        )
        .bind(iso(on))
        .bind(&reason)
        .bind(now())
        .bind(payment_id)
        .execute(&mut *tx)
        .await?;
        let after = load_payment(&mut tx, payment_id).await?;
        self.audit_payment(&mut tx, actor, "reverse", &before, &after)
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Marks a cheque cleared by the bank on `on`. Its payment already
    /// counts; nothing is added to the ledger.
    pub async fn clear_cheque(
        &self,
        actor: &str,
        payment_id: &str,
        on: NaiveDate,
    ) -> StoreResult<Payment> {
        let mut tx = self.begin_write().await?;
        let before = load_payment(&mut tx, payment_id).await?;
        let state = cheque_state(&before)?;
        state.change_to(ChequeState::Cleared)?;
        if before.reversed_on.is_some() {
            return Err(DomainError::conflict(format!(
                "Payment {} is reversed; its cheque cannot be cleared",
                before.receipt_number
            ))
            .into());
        }
        let dated = parse_iso(&before.paid_on)?;
        if on < dated {
            return Err(DomainError::invalid(
                "on",
                format!(
                    "A cheque cannot clear before its date ({})",
                    format_date(dated)
                ),
            )
            .into());
        }
        sqlx::query(
            "UPDATE payment SET cheque_state = 'cleared', cheque_state_on = ?, updated_at = ?
             WHERE id = ?",
        )
        .bind(iso(on))
        .bind(now())
        .bind(payment_id)
        .execute(&mut *tx)
        .await?;
        let after = load_payment(&mut tx, payment_id).await?;
        self.audit_payment(&mut tx, actor, "cheque_cleared", &before, &after)
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Marks a cheque returned unpaid on `on`: its payment is reversed and,
    /// when the agreement provides one, a bounce charge is added.
    pub async fn bounce_cheque(
        &self,
        actor: &str,
        payment_id: &str,
        on: NaiveDate,
        bounce_charge: Option<Paise>,
    ) -> StoreResult<Payment> {
        if let Some(charge) = bounce_charge {
            if charge <= Paise::ZERO || charge > MAX_ENTRY_AMOUNT {
                return Err(DomainError::invalid(
                    "bounce_charge",
                    format!("Bounce charge must be more than ₹0 and at most {MAX_ENTRY_AMOUNT}"),
                )
                .into());
            }
        }
        let mut tx = self.begin_write().await?;
        let before = load_payment(&mut tx, payment_id).await?;
        let state = cheque_state(&before)?;
        state.change_to(ChequeState::Bounced)?;
        if before.reversed_on.is_some() {
            return Err(DomainError::conflict(format!(
                "Payment {} is already reversed",
                before.receipt_number
            ))
            .into());
        }
        let mut ledger = load_ledger(&mut tx, Some(&before.tenant_id)).await?;
        let entry = standing_entry(&ledger, payment_id)?;
        let entries = bounce_entries(
            &entry,
            uuid::Uuid::now_v7(),
            on,
            bounce_charge.map(|a| (uuid::Uuid::now_v7(), a)),
        );
        append(&mut tx, self.desk_id(), &mut ledger, entries).await?;
        sqlx::query(
            "UPDATE payment SET cheque_state = 'bounced', cheque_state_on = ?, reversed_on = ?,
                reverse_reason = 'Cheque bounced', updated_at = ?
             WHERE id = ?",
        )
        .bind(iso(on))
        .bind(iso(on))
        .bind(now())
        .bind(payment_id)
        .execute(&mut *tx)
        .await?;
        let after = load_payment(&mut tx, payment_id).await?;
        self.audit_payment(&mut tx, actor, "cheque_bounced", &before, &after)
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn audit_payment(
        &self,
        tx: &mut SqliteConnection,
        actor: &str,
        action: &str,
        before: &Payment,
        after: &Payment,
    ) -> StoreResult<()> {
        audit::record(
            tx,
            AuditEntry {
                desk_id: self.desk_id(),
                actor,
                action,
                entity: "payment",
                entity_id: &after.id,
                before: Some(before),
                after: Some(after),
            },
        )
        .await
    }
}

fn cheque_state(payment: &Payment) -> StoreResult<ChequeState> {
    match payment.cheque_state.as_deref() {
        Some("pending") => Ok(ChequeState::Pending),
        Some("cleared") => Ok(ChequeState::Cleared),
        Some("bounced") => Ok(ChequeState::Bounced),
        _ => Err(DomainError::conflict(format!(
            "Payment {} is not a cheque",
            payment.receipt_number
        ))
        .into()),
    }
}
