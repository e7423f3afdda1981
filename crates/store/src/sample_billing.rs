//! The sample business's last few months of money, made the way a desk
//! makes it: the real billing run for each property and month, then real
//! payments — UPI with its UTR, some cash, a few part-payments, and some
//! of the latest month still unpaid — so a new user's dashboard, dues and
//! ledgers show a working business. Everyone staying today paid their
//! security deposit when they moved in, so deposits are held too.

use chrono::{Datelike, Days, Months, NaiveDate};
use multipms_domain::billing::BillingMonth;
use multipms_domain::payment::{PaymentInput, PaymentPurpose};
use multipms_domain::Paise;

use crate::database::Store;
use crate::error::StoreResult;

impl Store {
    /// Bills the `months` months before `today`'s and records their
    /// payments. Deterministic: the same portfolio gets the same history.
    pub(crate) async fn bill_sample_months(
        &self,
        actor: &str,
        today: NaiveDate,
        months: u32,
    ) -> StoreResult<()> {
        let properties: Vec<String> = sqlx::query_scalar("SELECT id FROM property ORDER BY code")
            .fetch_all(self.pool())
            .await?;
        let first_of_month = today.with_day(1).unwrap_or(today);
        let mut utr = 0u64;
        for back in (1..=months).rev() {
            let Some(first_day) = first_of_month.checked_sub_months(Months::new(back)) else {
                continue;
            };
            let month = BillingMonth::of(first_day);
            for property in &properties {
                self.run_billing(actor, property, month, first_day).await?;
            }
            let invoices: Vec<(String, i64)> = sqlx::query_as(
                "SELECT tenant_id, total_paise FROM invoice
                 WHERE month = ? AND status = 'issued' ORDER BY number",
            )
            .bind(month.key())
            .fetch_all(self.pool())
            .await?;
            for (i, (tenant_id, total)) in invoices.into_iter().enumerate() {
                // The latest month: one tenant in five has not paid yet.
                if back == 1 && i % 5 == 2 {
                    continue;
                }
                // One in seven pays half.
                let amount = if i % 7 == 3 { total / 2 } else { total };
                let paid_on = (first_day + Days::new(2 + (i % 6) as u64)).min(today);
                let mut input = PaymentInput {
                    amount: Paise(amount).to_decimal_rupees(),
                    paid_on: paid_on.format("%Y-%m-%d").to_string(),
                    ..Default::default()
                };
                if i % 4 == 1 {
                    input.mode = "cash".into();
                } else {
                    utr += 1;
                    input.mode = "upi".into();
                    input.reference = format!("5{:011}", 31_000_000 + utr);
                }
                self.record_payment(actor, &tenant_id, &input).await?;
            }
        }
        Ok(())
    }

    /// Records the security deposit of every stay that runs under an active
    /// contract, paid in full on the day its tenant moved in: by UPI, or in
    /// cash for one in four.
    pub(crate) async fn collect_sample_deposits(&self, actor: &str) -> StoreResult<()> {
        let deposits: Vec<(String, i64, String)> = sqlx::query_as(
            "SELECT a.tenant_id, c.deposit_paise, a.move_in
             FROM contract c JOIN allocation a ON a.id = c.allocation_id
             WHERE c.status = 'active' AND c.deposit_paise > 0
             ORDER BY a.move_in, a.tenant_id",
        )
        .fetch_all(self.pool())
        .await?;
        for (i, (tenant_id, deposit, move_in)) in deposits.into_iter().enumerate() {
            let mut input = PaymentInput {
                amount: Paise(deposit).to_decimal_rupees(),
                paid_on: move_in,
                purpose: PaymentPurpose::SecurityDeposit,
                ..Default::default()
            };
            if i % 4 == 3 {
                input.mode = "cash".into();
            } else {
                input.mode = "upi".into();
                input.reference = format!("6{:011}", 47_000_000 + i);
            }
            self.record_payment(actor, &tenant_id, &input).await?;
        }
        Ok(())
    }
}
