//! Dues with arrears ageing for every tenant as of a day, read in SQL
//! instead of replaying the whole ledger through the domain (17–21 s at a
//! million entries; this reads a few rows a tenant).
//!
//! Why it equals the domain's [`Ledger::open_items`] followed by
//! [`Ageing::of`] (and `tests/dues_agree.rs` checks it on random ledgers):
//!
//! - The entries standing as of the day are those posted by then, less
//!   reversed entries and their reversals (a reversal is never dated before
//!   what it undoes). Their sum in the dues book is the tenant's dues, and
//!   the reversal pairs cancel, so the dues are the sum of every dues entry
//!   posted by the day: `account_dues` keeps each tenant's total, and the
//!   entries posted after the day (from an index by day) are taken off.
//! - The open items are the standing positive entries. A standing payment
//!   first pays the items it was allocated to: an item is paid the lesser
//!   of its amount and what its standing allocations give it (each is
//!   capped by what is left of the item, and a payment's allocations never
//!   add up to more than the payment). Everything else received pays the
//!   oldest due items first.
//! - So what is outstanding is the newest part of what the allocations
//!   leave: walking the items newest due first, each keeps what it was
//!   left, until the dues are used up. Outstanding is then the dues when
//!   positive, and credit the dues when negative.
//!
//! [`Ledger::open_items`]: multipms_domain::ledger::Ledger::open_items

use std::collections::HashMap;

use chrono::NaiveDate;
use multipms_domain::ledger::Ageing;
use multipms_domain::{DomainError, Paise};

use crate::clock::{iso, parse_iso};
use crate::database::{read_failed, read_only, Store};
use crate::error::{StoreError, StoreResult};
use crate::ledger::{DuesPage, DuesReport, TenantDues, MAX_DUES_PAGE};

/// Each tenant's dues book, kept on writing.
const TOTALS_SQL: &str = "SELECT tenant_id, dues_paise FROM account_dues";

/// The dues entries posted after ?1, from the index by day.
const AFTER_SQL: &str = "SELECT tenant_id, amount_paise
     FROM ledger_entry INDEXED BY ledger_entry_dues_by_day
     WHERE book = 'dues' AND posted_on > ?1";

/// A tenant's open items standing as of ?2, newest due first, each with
/// its amount and what its standing allocations pay of it. (Items due on
/// the same day fall in the same bucket, so their order among themselves
/// does not change the ageing.) The index and the join order are
/// fixed: left to itself, SQLite reads every entry of the tenant for each
/// item (4.5 s at 50,000 beds instead of a fraction of a second).
const ITEMS_SQL: &str = "SELECT coalesce(e.due_on, e.posted_on), e.amount_paise,
        (SELECT coalesce(sum(pa.amount_paise), 0)
         FROM payment_allocation pa CROSS JOIN ledger_entry p ON p.id = pa.entry_id
         WHERE pa.item_entry_id = e.id AND p.tenant_id = e.tenant_id AND p.posted_on <= ?2
           AND NOT EXISTS (SELECT 1 FROM ledger_entry r WHERE r.reverses = p.id AND r.posted_on <= ?2))
     FROM ledger_entry e INDEXED BY ledger_entry_open_item
     WHERE e.tenant_id = ?1 AND e.book = 'dues' AND e.amount_paise > 0 AND e.kind <> 'reversal'
       AND e.posted_on <= ?2
       AND NOT EXISTS (SELECT 1 FROM ledger_entry r WHERE r.reverses = e.id AND r.posted_on <= ?2)
     ORDER BY coalesce(e.due_on, e.posted_on) DESC";

fn inconsistent(tenant_id: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Protocol(format!(
        "the dues of tenant {tenant_id} do not add up to their open items"
    )))
}

/// The ageing of `dues` (positive) over a tenant's items, newest first.
fn age(
    items: &mut rusqlite::Rows<'_>,
    tenant_id: &str,
    dues: i64,
    as_of: NaiveDate,
) -> StoreResult<Ageing> {
    let mut ageing = Ageing::default();
    let mut left = dues;
    while left > 0 {
        let Some(row) = items.next().map_err(read_failed)? else {
            return Err(inconsistent(tenant_id));
        };
        let due: String = row.get(0).map_err(read_failed)?;
        let amount: i64 = row.get(1).map_err(read_failed)?;
        let allocated: i64 = row.get(2).map_err(read_failed)?;
        let outstanding = (amount - amount.min(allocated)).min(left);
        if outstanding > 0 {
            ageing.add_item(parse_iso(&due)?, Paise(outstanding), as_of);
            left -= outstanding;
        }
    }
    Ok(ageing)
}

fn dues_report(db: &std::path::Path, as_of: NaiveDate) -> StoreResult<DuesReport> {
    let conn = read_only(db)?;
    // One snapshot for every read below, whatever the desk writes meanwhile.
    let snapshot = conn.unchecked_transaction().map_err(read_failed)?;
    let day = iso(as_of);
    // Each tenant's dues as of the day: the total less what came after.
    let mut after: HashMap<String, i64> = HashMap::new();
    {
        let mut statement = snapshot.prepare(AFTER_SQL).map_err(read_failed)?;
        let mut rows = statement.query([&day]).map_err(read_failed)?;
        while let Some(row) = rows.next().map_err(read_failed)? {
            let tenant = row
                .get_ref(0)
                .map_err(read_failed)?
                .as_str()
                .map_err(|e| read_failed(e.into()))?;
            let paise: i64 = row.get(1).map_err(read_failed)?;
            match after.get_mut(tenant) {
                Some(sum) => *sum += paise,
                None => {
                    after.insert(tenant.to_string(), paise);
                }
            }
        }
    }
    let mut dues: Vec<(String, i64)> = Vec::new();
    {
        let mut statement = snapshot.prepare(TOTALS_SQL).map_err(read_failed)?;
        let mut rows = statement.query([]).map_err(read_failed)?;
        while let Some(row) = rows.next().map_err(read_failed)? {
            let tenant: String = row.get(0).map_err(read_failed)?;
            let total: i64 = row.get(1).map_err(read_failed)?;
            let paise = total - after.get(&tenant).copied().unwrap_or(0);
            if paise != 0 {
                dues.push((tenant, paise));
            }
        }
    }
    let mut items = snapshot.prepare(ITEMS_SQL).map_err(read_failed)?;
    let mut person = snapshot
        .prepare("SELECT full_name, mobile FROM tenant WHERE id = ?")
        .map_err(read_failed)?;
    let mut tenants = Vec::with_capacity(dues.len());
    let mut total = Ageing::default();
    for (tenant_id, paise) in dues {
        let ageing = if paise > 0 {
            let mut rows = items.query((&tenant_id, &day)).map_err(read_failed)?;
            age(&mut rows, &tenant_id, paise, as_of)?
        } else {
            Ageing::default()
        };
        total = total.add(&ageing);
        let (full_name, mobile): (String, String) = person
            .query_row([&tenant_id], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(read_failed)?;
        tenants.push(TenantDues {
            tenant_id,
            full_name,
            mobile,
            outstanding_paise: paise.max(0),
            credit_paise: (-paise).max(0),
            ageing: ageing.into(),
        });
    }
    tenants.sort_by(|a, b| {
        b.outstanding_paise
            .cmp(&a.outstanding_paise)
            .then_with(|| a.full_name.cmp(&b.full_name))
            .then_with(|| a.tenant_id.cmp(&b.tenant_id))
    });
    Ok(DuesReport {
        as_of: day,
        tenants,
        total: total.into(),
    })
}

impl Store {
    /// Every tenant who owes something or holds credit as of `as_of`, with
    /// arrears ageing (entries posted after `as_of` left out), most owed
    /// first.
    pub async fn dues_with_ageing(&self, as_of: NaiveDate) -> StoreResult<DuesReport> {
        let db = self.path().to_path_buf();
        tokio::task::spawn_blocking(move || dues_report(&db, as_of))
            .await
            .map_err(|e| {
                StoreError::Database(sqlx::Error::Protocol(format!(
                    "reading the dues stopped: {e}"
                )))
            })?
    }

    /// One page of the tenants who owe as of `as_of`: `limit` of them
    /// (1 to [`MAX_DUES_PAGE`]) from position `offset` in the order of
    /// [`Store::dues_with_ageing`], with the count, credit and ageing
    /// totals over every tenant. Errors name `limit`.
    pub async fn dues_page(
        &self,
        as_of: NaiveDate,
        offset: u32,
        limit: u32,
    ) -> StoreResult<DuesPage> {
        if !(1..=MAX_DUES_PAGE).contains(&limit) {
            return Err(DomainError::invalid(
                "limit",
                format!("A page of dues holds 1 to {MAX_DUES_PAGE} tenants"),
            )
            .into());
        }
        let report = self.dues_with_ageing(as_of).await?;
        let mut owing_count: u32 = 0;
        let mut credit_count: u32 = 0;
        let mut credit_paise: i64 = 0;
        let mut tenants = Vec::new();
        for tenant in report.tenants {
            if tenant.outstanding_paise > 0 {
                if owing_count >= offset && tenants.len() < limit as usize {
                    tenants.push(tenant);
                }
                owing_count += 1;
            } else if tenant.credit_paise > 0 {
                credit_count += 1;
                credit_paise += tenant.credit_paise;
            }
        }
        Ok(DuesPage {
            as_of: report.as_of,
            offset,
            limit,
            tenants,
            owing_count,
            credit_count,
            credit_paise,
            total: report.total,
        })
    }
}
