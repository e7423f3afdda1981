//! The security deposit settled at move-out: the deposit held (the
//! ledger's deposit book, from `security_deposit` payments), the dues then,
//! itemised deductions (unpaid dues, damage, notice shortfall), and what is
//! refunded or still owed. The arithmetic and the ledger entries are the
//! domain's [`settle`] and [`Settlement::ledger_entries`]; this module
//! appends those entries (never editing one) and keeps the statement.

use chrono::{Days, NaiveDate};
use multipms_domain::dates::{format_date, parse_date_labelled};
use multipms_domain::deposit::{
    settle, DamageItem, DeductionKind, NoticeShortfall, Settlement, SettlementInput,
    SettlementOutcome,
};
use multipms_domain::ledger::{Ledger, MAX_ENTRY_AMOUNT};
use multipms_domain::{DomainError, Paise};
use serde::{Deserialize, Serialize};
use sqlx::{FromRow, SqliteConnection};
use uuid::Uuid;

use crate::audit::{self, AuditEntry};
use crate::clock::{iso, new_id, now, parse_iso};
use crate::database::Store;
use crate::error::StoreResult;
use crate::ledger::{append, load_ledger, uuid_of};

/// One damage claim as the form sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DamageInput {
    /// What was damaged: "Broken window pane".
    pub description: String,
    /// The cost claimed, in rupees.
    pub amount: String,
}

/// What the move-out settlement form sends.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DepositSettlementInput {
    /// Day of the settlement (DD/MM/YYYY).
    pub on: String,
    /// Damage claims, each deducted.
    pub damages: Vec<DamageInput>,
    /// Days of notice short, to charge at a thirtieth of the monthly rent a
    /// day. Blank: worked out from the notice recorded on the stay and the
    /// contract's notice period (no notice recorded: the whole period);
    /// `0` waives it.
    pub notice_short_days: Option<String>,
}

/// One itemised deduction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct SettlementDeduction {
    pub position: i64,
    /// `unpaid_dues`, `damage` or `notice_shortfall`.
    pub kind: String,
    pub description: String,
    pub amount_paise: i64,
}

/// The settlement statement: what was held, each deduction, the dues, and
/// who owes whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepositSettlement {
    /// `None` for a preview, which writes nothing.
    pub id: Option<String>,
    pub contract_id: String,
    pub tenant_id: String,
    /// `YYYY-MM-DD`.
    pub settled_on: String,
    /// Deposit held before the settlement.
    pub deposit_held_paise: i64,
    /// Dues book before the settlement: positive, unpaid; negative, credit.
    pub dues_paise: i64,
    /// Credit (advance paid) returned with the deposit.
    pub credit_paise: i64,
    pub deductions: Vec<SettlementDeduction>,
    pub total_deductions_paise: i64,
    /// `refund_to_tenant`, `tenant_owes` or `settled`.
    pub outcome: String,
    /// What the business pays back (0 unless `refund_to_tenant`).
    pub refund_to_tenant_paise: i64,
    /// What the tenant still owes (0 unless `tenant_owes`).
    pub tenant_owes_paise: i64,
    /// "Refund ₹14,500.00 to the tenant", "The tenant owes ₹5,000.00"…
    pub statement: String,
    /// The ledger entries that carried it out (empty for a preview).
    pub entry_ids: Vec<String>,
}

#[derive(FromRow)]
struct StayRow {
    id: String,
    move_in: String,
    move_out: Option<String>,
    notice_on: Option<String>,
    has_contract: bool,
}

#[derive(FromRow)]
struct SettlementRow {
    id: String,
    contract_id: String,
    tenant_id: String,
    settled_on: String,
    deposit_held_paise: i64,
    dues_paise: i64,
    credit_paise: i64,
    total_deductions_paise: i64,
    outcome: String,
    outcome_paise: i64,
    statement: String,
}

fn deduction_code(kind: DeductionKind) -> &'static str {
    match kind {
        DeductionKind::Damage => "damage",
        DeductionKind::UnpaidDues => "unpaid_dues",
        DeductionKind::NoticeShortfall => "notice_shortfall",
    }
}

fn outcome_of(outcome: SettlementOutcome) -> (&'static str, i64) {
    match outcome {
        SettlementOutcome::RefundToTenant(p) => ("refund_to_tenant", p.as_i64()),
        SettlementOutcome::TenantOwes(p) => ("tenant_owes", p.as_i64()),
        SettlementOutcome::Settled => ("settled", 0),
    }
}

fn statement_of(
    settlement: &Settlement,
    dues: Paise,
    contract_id: &str,
    tenant_id: &str,
    on: NaiveDate,
) -> DepositSettlement {
    let (outcome, amount) = outcome_of(settlement.outcome);
    DepositSettlement {
        id: None,
        contract_id: contract_id.to_string(),
        tenant_id: tenant_id.to_string(),
        settled_on: iso(on),
        deposit_held_paise: settlement.deposit_held.as_i64(),
        dues_paise: dues.as_i64(),
        credit_paise: settlement.credit.as_i64(),
        deductions: settlement
            .deductions
            .iter()
            .enumerate()
            .map(|(i, d)| SettlementDeduction {
                position: i as i64 + 1,
                kind: deduction_code(d.kind).to_string(),
                description: d.description.clone(),
                amount_paise: d.amount.as_i64(),
            })
            .collect(),
        total_deductions_paise: settlement.total_deductions.as_i64(),
        outcome: outcome.to_string(),
        refund_to_tenant_paise: if outcome == "refund_to_tenant" {
            amount
        } else {
            0
        },
        tenant_owes_paise: if outcome == "tenant_owes" { amount } else { 0 },
        statement: settlement.statement(),
        entry_ids: Vec::new(),
    }
}

/// The input checked, before anything is read.
struct Checked {
    on: NaiveDate,
    damages: Vec<DamageItem>,
    notice_short_days: Option<u32>,
}

fn check(input: &DepositSettlementInput) -> StoreResult<Checked> {
    let on = parse_date_labelled(&input.on, "on", "Settlement date")?;
    let mut damages = Vec::with_capacity(input.damages.len());
    for (i, d) in input.damages.iter().enumerate() {
        if d.amount.trim().is_empty() {
            return Err(DomainError::invalid(
                "damages",
                format!("Damage {}: enter the amount in rupees", i + 1),
            )
            .into());
        }
        let amount = Paise::from_rupees_str(&d.amount, "damages")?;
        if amount <= Paise::ZERO || amount > MAX_ENTRY_AMOUNT {
            return Err(DomainError::invalid(
                "damages",
                format!(
                    "Damage {}: the amount must be more than ₹0 and at most {MAX_ENTRY_AMOUNT}",
                    i + 1
                ),
            )
            .into());
        }
        damages.push(DamageItem {
            description: d.description.clone(),
            amount,
        });
    }
    let notice_short_days = match input.notice_short_days.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(days) => Some(
            days.parse::<u32>()
                .ok()
                .filter(|d| *d <= 3_650)
                .ok_or_else(|| {
                    DomainError::invalid(
                        "notice_short_days",
                        "Days of notice short must be a whole number from 0 to 3650",
                    )
                })?,
        ),
    };
    Ok(Checked {
        on,
        damages,
        notice_short_days,
    })
}

/// A settlement worked out, ready to write.
struct Plan {
    tenant_id: String,
    account: Uuid,
    ledger: Ledger,
    dues: Paise,
    settlement: Settlement,
    on: NaiveDate,
}

async fn plan(
    conn: &mut SqliteConnection,
    contract_id: &str,
    input: &DepositSettlementInput,
) -> StoreResult<Plan> {
    let checked = check(input)?;
    let contract: Option<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT c.allocation_id, a.tenant_id, c.monthly_rent_paise, c.notice_days
         FROM contract c JOIN allocation a ON a.id = c.allocation_id WHERE c.id = ?",
    )
    .bind(contract_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (allocation_id, tenant_id, monthly_rent, notice_days) =
        contract.ok_or(DomainError::not_found("Contract"))?;
    let settled_on: Option<String> =
        sqlx::query_scalar("SELECT settled_on FROM deposit_settlement WHERE contract_id = ?")
            .bind(contract_id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(day) = settled_on {
        return Err(DomainError::conflict(format!(
            "The deposit of this contract was already settled on {}",
            format_date(parse_iso(&day)?)
        ))
        .into());
    }
    // The contract's stays: its allocation and the transfers continuing it.
    let allocations = sqlx::query_as::<_, StayRow>(
        "SELECT a.id, a.move_in, a.move_out, a.notice_on,
                EXISTS (SELECT 1 FROM contract c WHERE c.allocation_id = a.id) AS has_contract
         FROM allocation a WHERE a.tenant_id = ? ORDER BY a.move_in",
    )
    .bind(&tenant_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut end: Option<Option<String>> = None;
    let mut notice_on: Option<String> = None;
    for StayRow {
        id,
        move_in,
        move_out,
        notice_on: notice,
        has_contract,
    } in allocations
    {
        let continues = match &end {
            None => id == allocation_id,
            Some(Some(last_out)) => !has_contract && move_in == *last_out,
            Some(None) => false,
        };
        if continues {
            notice_on = notice.or(notice_on);
            end = Some(move_out);
        }
    }
    let Some(Some(move_out)) = end else {
        return Err(DomainError::conflict(
            "Record the tenant's move-out before settling the deposit",
        )
        .into());
    };
    let move_out = parse_iso(&move_out)?;
    let short_by_days = match checked.notice_short_days {
        Some(days) => days,
        None => {
            let notice_days = u64::try_from(notice_days).unwrap_or(0);
            match notice_on {
                Some(given) => parse_iso(&given)?
                    .checked_add_days(Days::new(notice_days))
                    .map(|ends| u32::try_from((ends - move_out).num_days().max(0)).unwrap_or(0))
                    .unwrap_or(0),
                None => u32::try_from(notice_days).unwrap_or(0),
            }
        }
    };
    let account = uuid_of(&tenant_id)?;
    let ledger = load_ledger(conn, Some(&tenant_id)).await?;
    let summary = ledger.summary(account);
    let settlement = settle(&SettlementInput {
        deposit_held: summary.deposit_held,
        dues: summary.dues,
        damages: checked.damages,
        notice_shortfall: Some(NoticeShortfall {
            short_by_days,
            monthly_rent: Paise(monthly_rent),
        }),
    })?;
    Ok(Plan {
        tenant_id,
        account,
        ledger,
        dues: summary.dues,
        settlement,
        on: checked.on,
    })
}

impl Store {
    /// Works out the move-out settlement of a contract's deposit without
    /// writing anything, for the form to show before it is confirmed.
    pub async fn preview_deposit_settlement(
        &self,
        contract_id: &str,
        input: &DepositSettlementInput,
    ) -> StoreResult<DepositSettlement> {
        let mut conn = self.pool().acquire().await?;
        let p = plan(&mut conn, contract_id, input).await?;
        Ok(statement_of(
            &p.settlement,
            p.dues,
            contract_id,
            &p.tenant_id,
            p.on,
        ))
    }

    /// Settles a contract's deposit at move-out, once: unpaid dues, damage
    /// and notice shortfall are deducted from the deposit held (and any
    /// credit); the rest is refunded, or what is left unpaid stays owed.
    /// Carried out by new ledger entries (charges for the deductions, the
    /// deposit applied to the dues, the refund) in one transaction with the
    /// statement and its audit row. Needs the move-out recorded. Errors
    /// name `on`, `damages` or `notice_short_days`; nothing is written then.
    pub async fn settle_deposit(
        &self,
        actor: &str,
        contract_id: &str,
        input: &DepositSettlementInput,
    ) -> StoreResult<DepositSettlement> {
        let mut tx = self.begin_write().await?;
        let Plan {
            tenant_id,
            account,
            mut ledger,
            dues,
            settlement,
            on,
        } = plan(&mut tx, contract_id, input).await?;
        let entries = settlement.ledger_entries(account, on, Uuid::now_v7);
        let entry_ids: Vec<String> = entries.iter().map(|e| e.id.to_string()).collect();
        append(&mut tx, self.desk_id(), &mut ledger, entries).await?;
        let mut after = statement_of(&settlement, dues, contract_id, &tenant_id, on);
        let id = new_id();
        let (outcome, outcome_paise) = outcome_of(settlement.outcome);
        sqlx::query(
            "INSERT INTO deposit_settlement (id, contract_id, tenant_id, settled_on,
                deposit_held_paise, dues_paise, credit_paise, total_deductions_paise, outcome,
                outcome_paise, statement, desk_id, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(contract_id)
        .bind(&tenant_id)
        .bind(&after.settled_on)
        .bind(after.deposit_held_paise)
        .bind(after.dues_paise)
        .bind(after.credit_paise)
        .bind(after.total_deductions_paise)
        .bind(outcome)
        .bind(outcome_paise)
        .bind(&after.statement)
        .bind(self.desk_id())
        .bind(now())
        .execute(&mut *tx)
        .await?;
        for d in &after.deductions {
            sqlx::query(
                "INSERT INTO deposit_deduction (settlement_id, position, kind, description, amount_paise)
                 VALUES (?, ?, ?, ?, ?)",
            )
            .bind(&id)
            .bind(d.position)
            .bind(&d.kind)
            .bind(&d.description)
            .bind(d.amount_paise)
            .execute(&mut *tx)
            .await?;
        }
        for entry_id in &entry_ids {
            sqlx::query(
                "INSERT INTO deposit_settlement_entry (settlement_id, entry_id) VALUES (?, ?)",
            )
            .bind(&id)
            .bind(entry_id)
            .execute(&mut *tx)
            .await?;
        }
        after.id = Some(id.clone());
        after.entry_ids = entry_ids;
        audit::record(
            &mut tx,
            AuditEntry::<(), _> {
                desk_id: self.desk_id(),
                actor,
                action: "settle",
                entity: "deposit_settlement",
                entity_id: &id,
                before: None,
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The settlement statement of a contract's deposit, `None` until it is
    /// settled.
    pub async fn deposit_settlement(
        &self,
        contract_id: &str,
    ) -> StoreResult<Option<DepositSettlement>> {
        let mut conn = self.pool().acquire().await?;
        let row = sqlx::query_as::<_, SettlementRow>(
            "SELECT id, contract_id, tenant_id, settled_on, deposit_held_paise, dues_paise,
                    credit_paise, total_deductions_paise, outcome, outcome_paise, statement
             FROM deposit_settlement WHERE contract_id = ?",
        )
        .bind(contract_id)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let deductions = sqlx::query_as::<_, SettlementDeduction>(
            "SELECT position, kind, description, amount_paise FROM deposit_deduction
             WHERE settlement_id = ? ORDER BY position",
        )
        .bind(&row.id)
        .fetch_all(&mut *conn)
        .await?;
        let entry_ids: Vec<String> = sqlx::query_scalar(
            "SELECT s.entry_id FROM deposit_settlement_entry s
             JOIN ledger_entry e ON e.id = s.entry_id
             WHERE s.settlement_id = ? ORDER BY e.seq",
        )
        .bind(&row.id)
        .fetch_all(&mut *conn)
        .await?;
        let amount_if = |code: &str| {
            if row.outcome == code {
                row.outcome_paise
            } else {
                0
            }
        };
        Ok(Some(DepositSettlement {
            refund_to_tenant_paise: amount_if("refund_to_tenant"),
            tenant_owes_paise: amount_if("tenant_owes"),
            id: Some(row.id),
            contract_id: row.contract_id,
            tenant_id: row.tenant_id,
            settled_on: row.settled_on,
            deposit_held_paise: row.deposit_held_paise,
            dues_paise: row.dues_paise,
            credit_paise: row.credit_paise,
            deductions,
            total_deductions_paise: row.total_deductions_paise,
            outcome: row.outcome,
            statement: row.statement,
            entry_ids,
        }))
    }
}
