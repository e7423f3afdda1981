//! The ledger: append-only entries per tenant account, and everything
//! derived from them — balances, dues, credit, open items, arrears ageing.
//!
//! # Rules
//!
//! - Entries are only ever appended. A wrong invoice is cancelled and a
//!   wrong payment undone by a [`EntryKind::Reversal`] that points at the
//!   entry and carries its exact negative; nothing is edited or deleted, so
//!   the books show what happened and when (the CGST Act s.35–36 requires
//!   accounts to be kept, with corrections traceable, for 72 months).
//! - Amounts are signed from the business's side: positive means the
//!   tenant owes more (a charge, a refund paid out), negative means less (a
//!   payment, a deposit received). A tenant's balance is the sum of their
//!   entries.
//! - Two books per account: **dues** (charges, payments, adjustments) and
//!   **deposit** (deposit held, deposit refunded). The deposit is the
//!   tenant's money held as security, not an advance on rent, so it never
//!   pays an invoice by itself; at move-out the settlement moves it across
//!   with a pair of adjustments (see [`crate::deposit`]).
//! - Payments carry the allocation chosen when they were recorded (see
//!   [`crate::payment::allocate`]); whatever a payment leaves over, and any
//!   credit adjustment, settles the oldest open items first, and what is
//!   still left is credit.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::dates::format_date;
use crate::error::{DomainError, DomainResult};
use crate::money::Paise;

/// Largest amount one entry may carry (₹100 crore): keeps every sum exact.
pub const MAX_ENTRY_AMOUNT: Paise = Paise(100_000_000_000);

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Something billed (an invoice, a bounce charge, a deduction).
    Charge,
    /// Money received against dues.
    Payment,
    /// Security deposit received and held.
    DepositHeld,
    /// Security deposit paid back.
    DepositRefunded,
    /// A correction or transfer that is neither of the above.
    Adjustment,
    /// Undoes another entry exactly.
    Reversal,
}

impl EntryKind {
    /// The value stores keep: `charge`, `deposit_held`…
    pub fn code(self) -> &'static str {
        match self {
            EntryKind::Charge => "charge",
            EntryKind::Payment => "payment",
            EntryKind::DepositHeld => "deposit_held",
            EntryKind::DepositRefunded => "deposit_refunded",
            EntryKind::Adjustment => "adjustment",
            EntryKind::Reversal => "reversal",
        }
    }
}

/// The two books of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Book {
    /// Rent, charges and what was paid against them.
    Dues,
    /// The security deposit.
    Deposit,
}

/// Part of a payment applied to one open item, chosen when the payment was
/// recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentAllocation {
    /// The charge entry paid.
    pub item_entry_id: Uuid,
    /// How much of the payment goes to it (positive).
    pub amount: Paise,
}

/// One line of a tenant's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// The entry.
    pub id: Uuid,
    /// The tenant's account.
    pub account_id: Uuid,
    /// What it records.
    pub kind: EntryKind,
    /// Which book it is in.
    pub book: Book,
    /// Signed: positive, the tenant owes more; negative, less.
    pub amount: Paise,
    /// The day it takes effect: invoice date, the day a payment was made.
    pub posted_on: NaiveDate,
    /// For a charge: when it falls due.
    pub due_on: Option<NaiveDate>,
    /// For a charge: the invoice it bills.
    pub invoice_id: Option<Uuid>,
    /// For a payment or deposit: the payment record (mode, UTR, cheque).
    pub payment_id: Option<Uuid>,
    /// For a reversal: the entry it undoes.
    pub reverses: Option<Uuid>,
    /// For a payment: the allocation chosen.
    pub allocations: Vec<PaymentAllocation>,
    /// For people.
    pub memo: String,
}

impl LedgerEntry {
    fn base(
        id: Uuid,
        account_id: Uuid,
        kind: EntryKind,
        book: Book,
        amount: Paise,
        on: NaiveDate,
        memo: &str,
    ) -> LedgerEntry {
        LedgerEntry {
            id,
            account_id,
            kind,
            book,
            amount,
            posted_on: on,
            due_on: None,
            invoice_id: None,
            payment_id: None,
            reverses: None,
            allocations: Vec::new(),
            memo: memo.to_string(),
        }
    }

    /// A charge of `amount` (positive), due on `due_on`, billing
    /// `invoice_id` if it comes from an invoice.
    pub fn charge(
        id: Uuid,
        account_id: Uuid,
        amount: Paise,
        posted_on: NaiveDate,
        due_on: NaiveDate,
        invoice_id: Option<Uuid>,
        memo: &str,
    ) -> LedgerEntry {
        LedgerEntry {
            due_on: Some(due_on),
            invoice_id,
            ..LedgerEntry::base(
                id,
                account_id,
                EntryKind::Charge,
                Book::Dues,
                amount,
                posted_on,
                memo,
            )
        }
    }

    /// A payment of `amount` (positive) made on `paid_on`, applied as
    /// `allocations` says.
    pub fn payment(
        id: Uuid,
        account_id: Uuid,
        amount: Paise,
        paid_on: NaiveDate,
        payment_id: Option<Uuid>,
        allocations: Vec<PaymentAllocation>,
        memo: &str,
    ) -> LedgerEntry {
        LedgerEntry {
            payment_id,
            allocations,
            ..LedgerEntry::base(
                id,
                account_id,
                EntryKind::Payment,
                Book::Dues,
                negate(amount),
                paid_on,
                memo,
            )
        }
    }

    /// A security deposit of `amount` (positive) received on `on`.
    pub fn deposit_held(
        id: Uuid,
        account_id: Uuid,
        amount: Paise,
        on: NaiveDate,
        payment_id: Option<Uuid>,
        memo: &str,
    ) -> LedgerEntry {
        LedgerEntry {
            payment_id,
            ..LedgerEntry::base(
                id,
                account_id,
                EntryKind::DepositHeld,
                Book::Deposit,
                negate(amount),
                on,
                memo,
            )
        }
    }

    /// `amount` (positive) of the deposit paid back on `on`.
    pub fn deposit_refunded(
        id: Uuid,
        account_id: Uuid,
        amount: Paise,
        on: NaiveDate,
        memo: &str,
    ) -> LedgerEntry {
        LedgerEntry::base(
            id,
            account_id,
            EntryKind::DepositRefunded,
            Book::Deposit,
            amount,
            on,
            memo,
        )
    }

    /// An adjustment of `amount` (signed) in `book`.
    pub fn adjustment(
        id: Uuid,
        account_id: Uuid,
        book: Book,
        amount: Paise,
        on: NaiveDate,
        memo: &str,
    ) -> LedgerEntry {
        LedgerEntry::base(
            id,
            account_id,
            EntryKind::Adjustment,
            book,
            amount,
            on,
            memo,
        )
    }

    /// The reversal of `original`, dated `on`: same account and book,
    /// exactly the opposite amount.
    pub fn reversal_of(original: &LedgerEntry, id: Uuid, on: NaiveDate, memo: &str) -> LedgerEntry {
        LedgerEntry {
            reverses: Some(original.id),
            invoice_id: original.invoice_id,
            payment_id: original.payment_id,
            ..LedgerEntry::base(
                id,
                original.account_id,
                EntryKind::Reversal,
                original.book,
                negate(original.amount),
                on,
                memo,
            )
        }
    }
}

fn negate(p: Paise) -> Paise {
    p.checked_neg().unwrap_or(Paise(i64::MAX))
}

/// Sum in `i128`, clamped into paise (entries are bounded, so exact in
/// practice).
fn sum<I: IntoIterator<Item = Paise>>(amounts: I) -> Paise {
    let total: i128 = amounts.into_iter().map(|p| i128::from(p.as_i64())).sum();
    Paise(i64::try_from(total).unwrap_or(if total < 0 { i64::MIN } else { i64::MAX }))
}

/// An unpaid (or part-paid) charge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenItem {
    /// The charge entry (or debit adjustment).
    pub entry_id: Uuid,
    /// The account.
    pub account_id: Uuid,
    /// Its invoice, if it has one.
    pub invoice_id: Option<Uuid>,
    /// Day it was posted.
    pub issued_on: NaiveDate,
    /// Day it falls due.
    pub due_on: NaiveDate,
    /// Amount charged.
    pub amount: Paise,
    /// Paid so far.
    pub paid: Paise,
    /// Still to pay (positive).
    pub outstanding: Paise,
}

/// An account's open items and unapplied credit. Always
/// `Σ outstanding − credit = dues`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct OpenItems {
    /// Items with something outstanding, oldest due first.
    pub items: Vec<OpenItem>,
    /// Money received and not yet needed by any item.
    pub credit: Paise,
}

impl OpenItems {
    /// Total outstanding.
    pub fn outstanding(&self) -> Paise {
        sum(self.items.iter().map(|i| i.outstanding))
    }
}

/// Arrears by days past the due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Ageing {
    /// Not due yet.
    pub not_yet_due: Paise,
    /// 0–30 days past due.
    pub days_0_30: Paise,
    /// 31–60 days past due.
    pub days_31_60: Paise,
    /// 61–90 days past due.
    pub days_61_90: Paise,
    /// More than 90 days past due.
    pub over_90: Paise,
}

impl Ageing {
    /// Buckets `items` by days from their due date to `as_of`.
    pub fn of(items: &[OpenItem], as_of: NaiveDate) -> Ageing {
        let mut a = Ageing::default();
        for item in items {
            a.add_item(item.due_on, item.outstanding, as_of);
        }
        a
    }

    /// Adds `outstanding`, due on `due_on`, to its bucket as of `as_of`.
    pub fn add_item(&mut self, due_on: NaiveDate, outstanding: Paise, as_of: NaiveDate) {
        let bucket = match (as_of - due_on).num_days() {
            d if d < 0 => &mut self.not_yet_due,
            0..=30 => &mut self.days_0_30,
            31..=60 => &mut self.days_31_60,
            61..=90 => &mut self.days_61_90,
            _ => &mut self.over_90,
        };
        *bucket = sum([*bucket, outstanding]);
    }

    /// All buckets together.
    pub fn total(&self) -> Paise {
        sum([
            self.not_yet_due,
            self.days_0_30,
            self.days_31_60,
            self.days_61_90,
            self.over_90,
        ])
    }

    /// Adds another account's ageing (for a property's dues report).
    pub fn add(&self, other: &Ageing) -> Ageing {
        Ageing {
            not_yet_due: sum([self.not_yet_due, other.not_yet_due]),
            days_0_30: sum([self.days_0_30, other.days_0_30]),
            days_31_60: sum([self.days_31_60, other.days_31_60]),
            days_61_90: sum([self.days_61_90, other.days_61_90]),
            over_90: sum([self.over_90, other.over_90]),
        }
    }
}

/// Where an account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AccountSummary {
    /// The dues book: positive, the tenant owes; negative, credit.
    pub dues: Paise,
    /// Deposit the business holds for the tenant.
    pub deposit_held: Paise,
    /// Sum of all entries: dues less deposit held.
    pub balance: Paise,
}

/// Totals of the standing entries (reversed entries and their reversals
/// left out, as they cancel): `dues = billed − collected + adjusted`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct LedgerTotals {
    /// Charges.
    pub billed: Paise,
    /// Payments received (positive).
    pub collected: Paise,
    /// Adjustments in the dues book (signed).
    pub adjusted: Paise,
    /// What is owed on dues.
    pub dues: Paise,
    /// Deposits held.
    pub deposit_held: Paise,
}

/// The entries of one or many accounts, in the order they were appended,
/// with the rules that keep them consistent.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    entries: Vec<LedgerEntry>,
    by_id: HashMap<Uuid, usize>,
    by_account: HashMap<Uuid, Vec<usize>>,
    by_payment: HashMap<Uuid, Vec<usize>>,
    reversed: HashSet<Uuid>,
}

/// Whether an entry is being recorded now or read back as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checking {
    New,
    Stored,
}

impl Ledger {
    /// An empty ledger.
    pub fn new() -> Ledger {
        Ledger::default()
    }

    /// A ledger of stored entries, checked one by one in order.
    ///
    /// One rule is not checked again: that a payment's allocation was no
    /// more than what was outstanding on the invoice. Two desks may each
    /// take a payment against the same invoice while apart; once their
    /// entries meet, the second allocation finds less open than it was
    /// given, and the surplus counts as the tenant's credit (see
    /// [`Ledger::open_items`]). Money is never lost: the balance is the sum
    /// of the entries either way.
    pub fn from_entries<I: IntoIterator<Item = LedgerEntry>>(entries: I) -> DomainResult<Ledger> {
        let mut ledger = Ledger::new();
        for e in entries {
            ledger.check_with(&e, Checking::Stored)?;
            ledger.push(e);
        }
        Ok(ledger)
    }

    /// Every entry, in order.
    pub fn entries(&self) -> &[LedgerEntry] {
        &self.entries
    }

    /// One entry.
    pub fn entry(&self, id: Uuid) -> Option<&LedgerEntry> {
        self.by_id.get(&id).map(|&i| &self.entries[i])
    }

    /// True once a reversal points at the entry.
    pub fn is_reversed(&self, id: Uuid) -> bool {
        self.reversed.contains(&id)
    }

    /// The accounts with entries, sorted.
    pub fn accounts(&self) -> Vec<Uuid> {
        let mut ids: Vec<Uuid> = self.by_account.keys().copied().collect();
        ids.sort();
        ids
    }

    /// The entries of one account, in order.
    pub fn account_entries(&self, account_id: Uuid) -> impl Iterator<Item = &LedgerEntry> {
        self.by_account
            .get(&account_id)
            .into_iter()
            .flatten()
            .map(|&i| &self.entries[i])
    }

    /// Checks `entry` against the rules and appends it. Nothing changes on
    /// error.
    pub fn append(&mut self, entry: LedgerEntry) -> DomainResult<()> {
        self.check(&entry)?;
        self.push(entry);
        Ok(())
    }

    fn push(&mut self, entry: LedgerEntry) {
        let index = self.entries.len();
        if let Some(target) = entry.reverses {
            self.reversed.insert(target);
        }
        self.by_id.insert(entry.id, index);
        self.by_account
            .entry(entry.account_id)
            .or_default()
            .push(index);
        if let Some(payment) = entry.payment_id {
            self.by_payment.entry(payment).or_default().push(index);
        }
        self.entries.push(entry);
    }

    /// The rules [`Ledger::append`] applies.
    pub fn check(&self, entry: &LedgerEntry) -> DomainResult<()> {
        self.check_with(entry, Checking::New)
    }

    fn check_with(&self, entry: &LedgerEntry, checking: Checking) -> DomainResult<()> {
        if self.by_id.contains_key(&entry.id) {
            return Err(DomainError::conflict(
                "This entry is already in the ledger; it was not recorded again",
            ));
        }
        let amount = entry.amount;
        if amount.is_zero() {
            return Err(DomainError::invalid("amount", "Amount must not be zero"));
        }
        if amount.as_i64().unsigned_abs() > MAX_ENTRY_AMOUNT.as_i64().unsigned_abs() {
            return Err(DomainError::invalid(
                "amount",
                format!("Amount must be at most {MAX_ENTRY_AMOUNT}"),
            ));
        }
        let expected_book = match entry.kind {
            EntryKind::Charge | EntryKind::Payment => Some(Book::Dues),
            EntryKind::DepositHeld | EntryKind::DepositRefunded => Some(Book::Deposit),
            EntryKind::Adjustment | EntryKind::Reversal => None,
        };
        if expected_book.is_some_and(|b| b != entry.book) {
            return Err(DomainError::invalid(
                "book",
                format!(
                    "A {} entry belongs in the {:?} book",
                    entry.kind.code(),
                    expected_book.unwrap_or(Book::Dues)
                ),
            ));
        }
        if entry.kind != EntryKind::Reversal && entry.reverses.is_some() {
            return Err(DomainError::invalid(
                "reverses",
                "Only a reversal may point at another entry",
            ));
        }
        if entry.kind != EntryKind::Payment && !entry.allocations.is_empty() {
            return Err(DomainError::invalid(
                "allocations",
                "Only a payment is allocated to invoices",
            ));
        }
        let sign_ok = match entry.kind {
            EntryKind::Charge | EntryKind::DepositRefunded => amount > Paise::ZERO,
            EntryKind::Payment | EntryKind::DepositHeld => amount < Paise::ZERO,
            EntryKind::Adjustment | EntryKind::Reversal => true,
        };
        if !sign_ok {
            return Err(DomainError::invalid(
                "amount",
                "Amount must be more than ₹0",
            ));
        }
        match entry.kind {
            EntryKind::Charge => self.check_charge(entry)?,
            EntryKind::Payment => self.check_payment(entry, checking)?,
            EntryKind::Reversal => self.check_reversal(entry)?,
            EntryKind::DepositHeld => self.check_payment_record(entry)?,
            _ => {}
        }
        if entry.book == Book::Deposit {
            let held = self.summary(entry.account_id).deposit_held;
            // `held` is what the business holds; a positive amount pays out.
            if amount > held {
                return Err(DomainError::conflict(format!(
                    "{} is more than the deposit held, {held}",
                    Paise(amount.as_i64().abs())
                )));
            }
        }
        Ok(())
    }

    fn check_charge(&self, entry: &LedgerEntry) -> DomainResult<()> {
        if entry.due_on.is_none() {
            return Err(DomainError::invalid(
                "due_on",
                "A charge needs its due date",
            ));
        }
        if let Some(invoice) = entry.invoice_id {
            let standing = self.account_entries(entry.account_id).any(|e| {
                e.kind == EntryKind::Charge
                    && e.invoice_id == Some(invoice)
                    && !self.is_reversed(e.id)
            });
            if standing {
                return Err(DomainError::conflict(
                    "This invoice is already charged to the account; cancel it first to charge it again",
                ));
            }
        }
        Ok(())
    }

    /// A payment record is counted by one standing entry at most.
    fn check_payment_record(&self, entry: &LedgerEntry) -> DomainResult<()> {
        let Some(payment) = entry.payment_id else {
            return Ok(());
        };
        let standing = self
            .by_payment
            .get(&payment)
            .into_iter()
            .flatten()
            .any(|&i| {
                let e = &self.entries[i];
                matches!(e.kind, EntryKind::Payment | EntryKind::DepositHeld)
                    && !self.is_reversed(e.id)
            });
        if standing {
            return Err(DomainError::conflict(
                "This payment is already recorded; it was not counted again",
            ));
        }
        Ok(())
    }

    fn check_payment(&self, entry: &LedgerEntry, checking: Checking) -> DomainResult<()> {
        self.check_payment_record(entry)?;
        if entry.allocations.is_empty() {
            return Ok(());
        }
        // Replaying the account's open items is the costly part of reading
        // a ledger back; stored entries skip it.
        let open = match checking {
            Checking::New => Some(self.open_items(entry.account_id, None)),
            Checking::Stored => None,
        };
        let mut seen = HashSet::new();
        let mut total = Paise::ZERO;
        for a in &entry.allocations {
            if a.amount <= Paise::ZERO || !seen.insert(a.item_entry_id) {
                return Err(DomainError::invalid(
                    "allocations",
                    "Each invoice can be paid once per payment, with an amount above ₹0",
                ));
            }
            total = sum([total, a.amount]);
            let Some(open) = &open else {
                continue;
            };
            let Some(item) = open.items.iter().find(|i| i.entry_id == a.item_entry_id) else {
                return Err(DomainError::conflict(
                    "A chosen invoice is not open on this tenant's account",
                ));
            };
            if a.amount > item.outstanding {
                return Err(DomainError::conflict(format!(
                    "{} is more than the {} outstanding on the invoice due {}",
                    a.amount,
                    item.outstanding,
                    format_date(item.due_on)
                )));
            }
        }
        if total > negate(entry.amount) {
            return Err(DomainError::invalid(
                "allocations",
                "The amounts given to invoices add up to more than the payment",
            ));
        }
        Ok(())
    }

    fn check_reversal(&self, entry: &LedgerEntry) -> DomainResult<()> {
        let Some(target_id) = entry.reverses else {
            return Err(DomainError::invalid(
                "reverses",
                "A reversal must name the entry it reverses",
            ));
        };
        let Some(target) = self.entry(target_id) else {
            return Err(DomainError::not_found("Ledger entry"));
        };
        if target.account_id != entry.account_id {
            return Err(DomainError::conflict(
                "A reversal must be on the same account as the entry it reverses",
            ));
        }
        if target.kind == EntryKind::Reversal {
            return Err(DomainError::conflict(
                "A reversal cannot be reversed; record the original entry again instead",
            ));
        }
        if self.is_reversed(target_id) {
            return Err(DomainError::conflict("This entry is already reversed"));
        }
        if entry.amount != negate(target.amount) || entry.book != target.book {
            return Err(DomainError::invalid(
                "amount",
                "A reversal must carry exactly the opposite amount",
            ));
        }
        if entry.posted_on < target.posted_on {
            return Err(DomainError::invalid(
                "posted_on",
                format!(
                    "A reversal cannot be dated before the entry it reverses ({})",
                    format_date(target.posted_on)
                ),
            ));
        }
        Ok(())
    }

    /// The account's entries standing as of `as_of` (all when `None`): those
    /// posted by then, less reversed entries and their reversals.
    fn standing(&self, account_id: Uuid, as_of: Option<NaiveDate>) -> Vec<&LedgerEntry> {
        let included: Vec<&LedgerEntry> = self
            .account_entries(account_id)
            .filter(|e| as_of.is_none_or(|d| e.posted_on <= d))
            .collect();
        let cancelled: HashSet<Uuid> = included
            .iter()
            .filter_map(|e| e.reverses.map(|t| [t, e.id]))
            .flatten()
            .collect();
        included
            .into_iter()
            .filter(|e| !cancelled.contains(&e.id))
            .collect()
    }

    /// Sum of all the account's entries: dues less deposit held.
    pub fn balance(&self, account_id: Uuid) -> Paise {
        sum(self.account_entries(account_id).map(|e| e.amount))
    }

    /// Dues, deposit held and balance of an account.
    pub fn summary(&self, account_id: Uuid) -> AccountSummary {
        let mut dues = Paise::ZERO;
        let mut deposit = Paise::ZERO;
        for e in self.account_entries(account_id) {
            match e.book {
                Book::Dues => dues = sum([dues, e.amount]),
                Book::Deposit => deposit = sum([deposit, e.amount]),
            }
        }
        AccountSummary {
            dues,
            deposit_held: negate(deposit),
            balance: sum([dues, deposit]),
        }
    }

    /// Totals of one account, or of all when `account_id` is `None`.
    pub fn totals(&self, account_id: Option<Uuid>) -> LedgerTotals {
        let accounts = match account_id {
            Some(a) => vec![a],
            None => self.accounts(),
        };
        let mut t = LedgerTotals::default();
        for account in accounts {
            for e in self.standing(account, None) {
                match (e.kind, e.book) {
                    (EntryKind::Charge, _) => t.billed = sum([t.billed, e.amount]),
                    (EntryKind::Payment, _) => t.collected = sum([t.collected, negate(e.amount)]),
                    (EntryKind::Adjustment, Book::Dues) => t.adjusted = sum([t.adjusted, e.amount]),
                    (_, Book::Deposit) => t.deposit_held = sum([t.deposit_held, negate(e.amount)]),
                    _ => {}
                }
            }
        }
        t.dues = sum([t.billed, negate(t.collected), t.adjusted]);
        t
    }

    /// The account's open items and credit as of `as_of` (everything when
    /// `None`): each payment pays the items it was allocated to; what it
    /// leaves, and credit adjustments, pay the oldest due items first.
    pub fn open_items(&self, account_id: Uuid, as_of: Option<NaiveDate>) -> OpenItems {
        let standing: Vec<&LedgerEntry> = self
            .standing(account_id, as_of)
            .into_iter()
            .filter(|e| e.book == Book::Dues)
            .collect();
        let mut items: Vec<OpenItem> = standing
            .iter()
            .filter(|e| e.amount > Paise::ZERO)
            .map(|e| OpenItem {
                entry_id: e.id,
                account_id: e.account_id,
                invoice_id: e.invoice_id,
                issued_on: e.posted_on,
                due_on: e.due_on.unwrap_or(e.posted_on),
                amount: e.amount,
                paid: Paise::ZERO,
                outstanding: e.amount,
            })
            .collect();
        // Oldest due first; ties by date posted, then order of entry.
        items.sort_by_key(|i| (i.due_on, i.issued_on));
        let mut pool = Paise::ZERO;
        for e in standing.iter().filter(|e| e.amount < Paise::ZERO) {
            let mut left = negate(e.amount);
            for a in &e.allocations {
                if let Some(item) = items.iter_mut().find(|i| i.entry_id == a.item_entry_id) {
                    let applied = a.amount.min(item.outstanding).min(left);
                    item.paid = sum([item.paid, applied]);
                    item.outstanding = sum([item.outstanding, negate(applied)]);
                    left = sum([left, negate(applied)]);
                }
            }
            pool = sum([pool, left]);
        }
        for item in items.iter_mut() {
            if pool <= Paise::ZERO {
                break;
            }
            let applied = pool.min(item.outstanding);
            item.paid = sum([item.paid, applied]);
            item.outstanding = sum([item.outstanding, negate(applied)]);
            pool = sum([pool, negate(applied)]);
        }
        items.retain(|i| i.outstanding > Paise::ZERO);
        OpenItems {
            items,
            credit: pool,
        }
    }

    /// Arrears ageing of an account as of `as_of`, from its open items.
    pub fn ageing(&self, account_id: Uuid, as_of: NaiveDate) -> Ageing {
        Ageing::of(&self.open_items(account_id, Some(as_of)).items, as_of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_date(s, "test").unwrap()
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    const TENANT: u128 = 1_000;

    fn invoice(n: u128, rupees: i64, on: &str) -> LedgerEntry {
        LedgerEntry::charge(
            id(n),
            id(TENANT),
            Paise(rupees * 100),
            d(on),
            d(on),
            Some(id(n + 500)),
            "Rent",
        )
    }

    fn pay(n: u128, rupees: i64, on: &str, allocations: Vec<PaymentAllocation>) -> LedgerEntry {
        LedgerEntry::payment(
            id(n),
            id(TENANT),
            Paise(rupees * 100),
            d(on),
            Some(id(n + 500)),
            allocations,
            "UPI",
        )
    }

    #[test]
    fn payments_settle_oldest_first_and_leave_credit() {
        let mut l = Ledger::new();
        l.append(invoice(1, 10_000, "05/04/2026")).unwrap();
        l.append(invoice(2, 10_000, "05/05/2026")).unwrap();
        l.append(pay(3, 15_000, "10/05/2026", vec![])).unwrap();
        let open = l.open_items(id(TENANT), None);
        assert_eq!(open.items.len(), 1);
        assert_eq!(open.items[0].entry_id, id(2));
        assert_eq!(open.items[0].outstanding, Paise(500_000));
        assert_eq!(l.summary(id(TENANT)).dues, Paise(500_000));
        l.append(pay(4, 8_000, "11/05/2026", vec![])).unwrap();
        let open = l.open_items(id(TENANT), None);
        assert!(open.items.is_empty());
        assert_eq!(open.credit, Paise(300_000));
        assert_eq!(l.summary(id(TENANT)).dues, Paise(-300_000));
        // The next invoice uses the credit.
        l.append(invoice(5, 10_000, "05/06/2026")).unwrap();
        assert_eq!(
            l.open_items(id(TENANT), None).items[0].outstanding,
            Paise(700_000)
        );
    }

    #[test]
    fn a_chosen_invoice_is_paid_first() {
        let mut l = Ledger::new();
        l.append(invoice(1, 10_000, "05/04/2026")).unwrap();
        l.append(invoice(2, 3_000, "05/05/2026")).unwrap();
        let pick = vec![PaymentAllocation {
            item_entry_id: id(2),
            amount: Paise(300_000),
        }];
        l.append(pay(3, 3_000, "06/05/2026", pick)).unwrap();
        let open = l.open_items(id(TENANT), None);
        assert_eq!(open.items.len(), 1);
        assert_eq!(open.items[0].entry_id, id(1));
        // Over-allocating is refused, and nothing changes.
        let too_much = vec![PaymentAllocation {
            item_entry_id: id(1),
            amount: Paise(1_100_000),
        }];
        assert!(l.append(pay(4, 11_000, "07/05/2026", too_much)).is_err());
        let unknown = vec![PaymentAllocation {
            item_entry_id: id(2),
            amount: Paise(100),
        }];
        assert!(l.append(pay(4, 1, "07/05/2026", unknown)).is_err());
        assert_eq!(l.entries().len(), 3);
    }

    #[test]
    fn reversals_undo_exactly_once() {
        let mut l = Ledger::new();
        l.append(invoice(1, 10_000, "05/04/2026")).unwrap();
        let payment = pay(2, 10_000, "06/04/2026", vec![]);
        l.append(payment.clone()).unwrap();
        assert_eq!(l.summary(id(TENANT)).dues, Paise::ZERO);
        // The same payment again is refused (no payment counted twice).
        assert!(matches!(
            l.append(payment.clone()),
            Err(DomainError::Conflict { .. })
        ));
        let again = LedgerEntry {
            id: id(9),
            ..payment.clone()
        };
        assert!(matches!(l.append(again), Err(DomainError::Conflict { .. })));
        // Cheque bounced: reversed; the invoice is open again.
        let reversal = LedgerEntry::reversal_of(&payment, id(3), d("09/04/2026"), "Cheque bounced");
        l.append(reversal.clone()).unwrap();
        assert!(l.is_reversed(id(2)));
        assert_eq!(l.summary(id(TENANT)).dues, Paise(1_000_000));
        assert_eq!(l.open_items(id(TENANT), None).items.len(), 1);
        assert!(l
            .append(LedgerEntry::reversal_of(
                &payment,
                id(4),
                d("09/04/2026"),
                ""
            ))
            .is_err());
        assert!(l
            .append(LedgerEntry::reversal_of(
                &reversal,
                id(5),
                d("09/04/2026"),
                ""
            ))
            .is_err());
        assert!(l
            .append(LedgerEntry::reversal_of(
                &invoice(1, 10_000, "05/04/2026"),
                id(6),
                d("01/04/2026"),
                ""
            ))
            .is_err());
        // The re-presented cheque may be recorded again, as a new entry.
        l.append(LedgerEntry {
            id: id(7),
            posted_on: d("12/04/2026"),
            ..payment
        })
        .unwrap();
        assert_eq!(l.summary(id(TENANT)).dues, Paise::ZERO);
        // A cancelled invoice can be issued again; the standing one cannot.
        assert!(l
            .append(LedgerEntry {
                id: id(8),
                ..invoice(1, 10_000, "05/04/2026")
            })
            .is_err());
        let cancel = LedgerEntry::reversal_of(
            &invoice(1, 10_000, "05/04/2026"),
            id(10),
            d("06/04/2026"),
            "Wrong rent",
        );
        l.append(cancel).unwrap();
        l.append(LedgerEntry {
            id: id(11),
            amount: Paise(900_000),
            ..invoice(1, 10_000, "05/04/2026")
        })
        .unwrap();
        assert_eq!(l.summary(id(TENANT)).dues, Paise(-100_000));
        let t = l.totals(None);
        assert_eq!(
            (t.billed, t.collected, t.dues),
            (Paise(900_000), Paise(1_000_000), Paise(-100_000))
        );
    }

    #[test]
    fn deposit_is_its_own_book() {
        let mut l = Ledger::new();
        l.append(invoice(1, 10_000, "05/04/2026")).unwrap();
        l.append(LedgerEntry::deposit_held(
            id(2),
            id(TENANT),
            Paise(2_000_000),
            d("01/04/2026"),
            Some(id(20)),
            "Deposit",
        ))
        .unwrap();
        let s = l.summary(id(TENANT));
        assert_eq!(
            (s.dues, s.deposit_held, s.balance),
            (Paise(1_000_000), Paise(2_000_000), Paise(-1_000_000))
        );
        // The deposit does not pay the rent.
        assert_eq!(l.open_items(id(TENANT), None).items.len(), 1);
        let err = l
            .append(LedgerEntry::deposit_refunded(
                id(3),
                id(TENANT),
                Paise(2_000_001),
                d("01/05/2026"),
                "",
            ))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "₹20,000.01 is more than the deposit held, ₹20,000.00"
        );
        l.append(LedgerEntry::deposit_refunded(
            id(3),
            id(TENANT),
            Paise(2_000_000),
            d("01/05/2026"),
            "",
        ))
        .unwrap();
        assert_eq!(l.summary(id(TENANT)).deposit_held, Paise::ZERO);
        // Wrong signs and books are refused.
        assert!(l
            .append(LedgerEntry::charge(
                id(4),
                id(TENANT),
                Paise(-5),
                d("01/05/2026"),
                d("01/05/2026"),
                None,
                ""
            ))
            .is_err());
        assert!(l
            .append(LedgerEntry {
                book: Book::Deposit,
                ..invoice(5, 1, "01/05/2026")
            })
            .is_err());
        assert!(l
            .append(LedgerEntry::adjustment(
                id(6),
                id(TENANT),
                Book::Dues,
                Paise::ZERO,
                d("01/05/2026"),
                ""
            ))
            .is_err());
    }

    #[test]
    fn ageing_buckets() {
        let mut l = Ledger::new();
        for (n, due) in [
            (1, "01/01/2026"),
            (2, "01/02/2026"),
            (3, "05/03/2026"),
            (4, "05/04/2026"),
            (5, "20/04/2026"),
        ] {
            l.append(LedgerEntry::charge(
                id(n),
                id(TENANT),
                Paise(100_000),
                d(due),
                d(due),
                Some(id(n + 50)),
                "",
            ))
            .unwrap();
        }
        l.append(pay(9, 500, "10/04/2026", vec![])).unwrap();
        let a = l.ageing(id(TENANT), d("10/04/2026"));
        // 01/01 is 99 days past due, half paid; 01/02: 68; 05/03: 36; 05/04: 5;
        // 20/04 not yet posted on 10/04.
        assert_eq!(
            a,
            Ageing {
                not_yet_due: Paise(0),
                days_0_30: Paise(100_000),
                days_31_60: Paise(100_000),
                days_61_90: Paise(100_000),
                over_90: Paise(50_000),
            }
        );
        assert_eq!(a.total(), Paise(350_000));
        let later = l.ageing(id(TENANT), d("20/05/2026"));
        assert_eq!(later.total(), Paise(450_000));
        let early = Ageing::of(&l.open_items(id(TENANT), None).items, d("01/04/2026"));
        assert_eq!(early.not_yet_due, Paise(200_000));
    }

    #[derive(Debug, Clone)]
    enum Op {
        Invoice {
            account: u8,
            rupees: i64,
            day: u16,
        },
        Pay {
            account: u8,
            rupees: i64,
            day: u16,
            pick: bool,
        },
        ReversePayment(usize),
        CancelInvoice(usize),
        DepositHeld {
            account: u8,
            rupees: i64,
        },
        DepositRefund {
            account: u8,
            rupees: i64,
        },
        Adjust {
            account: u8,
            rupees: i64,
        },
        Replay(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0u8..3, 1i64..20_000, 0u16..400).prop_map(|(account, rupees, day)| Op::Invoice { account, rupees, day }),
            4 => (0u8..3, 1i64..25_000, 0u16..400, any::<bool>()).prop_map(|(account, rupees, day, pick)| Op::Pay { account, rupees, day, pick }),
            1 => any::<usize>().prop_map(Op::ReversePayment),
            1 => any::<usize>().prop_map(Op::CancelInvoice),
            1 => (0u8..3, 1i64..30_000).prop_map(|(account, rupees)| Op::DepositHeld { account, rupees }),
            1 => (0u8..3, 1i64..30_000).prop_map(|(account, rupees)| Op::DepositRefund { account, rupees }),
            1 => (0u8..3, -5_000i64..5_000).prop_map(|(account, rupees)| Op::Adjust { account, rupees }),
            1 => any::<usize>().prop_map(Op::Replay),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn balances_are_sums_and_nothing_counts_twice(ops in proptest::collection::vec(op(), 1..60)) {
            let mut l = Ledger::new();
            let mut next = 1u128;
            let start = d("01/04/2026");
            let mut last_day = start;
            let mut fresh = || { next += 1; Uuid::from_u128(next) };
            let account = |a: u8| Uuid::from_u128(u128::from(a) + 1);
            for op in ops {
                let entry = match op {
                    Op::Invoice { account: a, rupees, day } => {
                        let on = start + chrono::Duration::days(i64::from(day));
                        Some(LedgerEntry::charge(fresh(), account(a), Paise(rupees * 100), on, on, Some(fresh()), "Rent"))
                    }
                    Op::Pay { account: a, rupees, day, pick } => {
                        let on = start + chrono::Duration::days(i64::from(day));
                        let amount = Paise(rupees * 100);
                        let open = l.open_items(account(a), None);
                        let allocations = if pick {
                            // Pick the newest open item, as a person might.
                            open.items.last().map(|i| vec![PaymentAllocation { item_entry_id: i.entry_id, amount: i.outstanding.min(amount) }]).unwrap_or_default()
                        } else {
                            crate::payment::allocate(amount, &open.items, &[]).unwrap().allocations
                        };
                        Some(LedgerEntry::payment(fresh(), account(a), amount, on, Some(fresh()), allocations, "UPI"))
                    }
                    Op::ReversePayment(i) | Op::CancelInvoice(i) => {
                        let kind = if matches!(op, Op::ReversePayment(_)) { EntryKind::Payment } else { EntryKind::Charge };
                        let candidates: Vec<LedgerEntry> = l.entries().iter().filter(|e| e.kind == kind).cloned().collect();
                        if candidates.is_empty() { None } else {
                            let target = &candidates[i % candidates.len()];
                            Some(LedgerEntry::reversal_of(target, fresh(), target.posted_on.max(last_day), "Reversed"))
                        }
                    }
                    Op::DepositHeld { account: a, rupees } => Some(LedgerEntry::deposit_held(fresh(), account(a), Paise(rupees * 100), start, Some(fresh()), "Deposit")),
                    Op::DepositRefund { account: a, rupees } => Some(LedgerEntry::deposit_refunded(fresh(), account(a), Paise(rupees * 100), start, "Refund")),
                    Op::Adjust { account: a, rupees } => Some(LedgerEntry::adjustment(fresh(), account(a), Book::Dues, Paise(rupees * 100), start, "Adjustment")),
                    Op::Replay(i) => l.entries().get(i % l.entries().len().max(1)).cloned(),
                };
                if let Some(entry) = entry {
                    let is_replay = matches!(op, Op::Replay(_));
                    let before = l.entries().len();
                    let result = l.append(entry.clone());
                    if is_replay {
                        // Appending an entry already recorded never counts it again.
                        prop_assert!(result.is_err());
                    }
                    if result.is_ok() {
                        last_day = last_day.max(entry.posted_on);
                    } else {
                        prop_assert_eq!(l.entries().len(), before);
                    }
                }
            }
            let mut all_billed = 0i64;
            let mut all_collected = 0i64;
            let mut all_dues = 0i64;
            for a in l.accounts() {
                let entries: Vec<&LedgerEntry> = l.account_entries(a).collect();
                let raw: i64 = entries.iter().map(|e| e.amount.as_i64()).sum();
                prop_assert_eq!(l.balance(a), Paise(raw));
                let s = l.summary(a);
                prop_assert_eq!(s.balance, Paise(raw));
                prop_assert_eq!(s.dues.as_i64() - s.deposit_held.as_i64(), raw);
                prop_assert!(s.deposit_held >= Paise::ZERO);
                let t = l.totals(Some(a));
                prop_assert_eq!(t.billed.as_i64() - t.collected.as_i64() + t.adjusted.as_i64(), t.dues.as_i64());
                prop_assert_eq!(t.dues, s.dues);
                prop_assert_eq!(t.deposit_held, s.deposit_held);
                // Collected counts each standing payment once.
                let standing_payments: i64 = entries.iter()
                    .filter(|e| e.kind == EntryKind::Payment && !l.is_reversed(e.id))
                    .map(|e| -e.amount.as_i64()).sum();
                prop_assert_eq!(t.collected.as_i64(), standing_payments);
                let ids: HashSet<Uuid> = entries.iter().map(|e| e.id).collect();
                prop_assert_eq!(ids.len(), entries.len());
                // Open items and credit reconcile with the dues.
                let open = l.open_items(a, None);
                prop_assert_eq!(open.outstanding().as_i64() - open.credit.as_i64(), s.dues.as_i64());
                prop_assert!(open.credit >= Paise::ZERO);
                prop_assert!(open.items.iter().all(|i| i.outstanding > Paise::ZERO && i.paid.as_i64() + i.outstanding.as_i64() == i.amount.as_i64()));
                prop_assert!(open.items.is_empty() || open.credit.is_zero());
                prop_assert_eq!(Ageing::of(&open.items, d("01/01/2030")).total(), open.outstanding());
                all_billed += t.billed.as_i64();
                all_collected += t.collected.as_i64();
                all_dues += t.dues.as_i64() - t.adjusted.as_i64();
            }
            // Total billed − total collected = total dues (adjustments aside).
            prop_assert_eq!(all_billed - all_collected, all_dues);
            let t = l.totals(None);
            prop_assert_eq!(t.billed.as_i64(), all_billed);
            prop_assert_eq!(t.collected.as_i64(), all_collected);
            // No payment record is counted by two standing entries.
            let mut records = HashSet::new();
            for e in l.entries().iter().filter(|e| matches!(e.kind, EntryKind::Payment | EntryKind::DepositHeld) && !l.is_reversed(e.id)) {
                if let Some(p) = e.payment_id { prop_assert!(records.insert(p)); }
            }
        }
    }
}
