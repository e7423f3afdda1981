//! The ledger as CSV: every entry, tenant by tenant, by the day posted then
//! the order recorded, with the running balance of the tenant's statement.
//! A million entries take two threads: one reads the entries (SQLite walks
//! the statement index and fetches each entry, half the time), the other
//! neutralises, formats and writes them, a batch of lines at a time.
//!
//! The tenants' names are read beside the entries, by tenant id as they
//! are (a merge, not a lookup per entry), and the invoice and receipt
//! numbers off the entry itself (see migration 0012).

use std::io::Write;
use std::sync::mpsc;

use multipms_domain::csv_cell::is_dangerous_utf8;
use rusqlite::types::ValueRef;
use rusqlite::Row;

use crate::clock::iso;
use crate::database::{read_failed, read_only, Store};
use crate::error::{StoreError, StoreResult};
use crate::export::{
    blocking, check_range, csv_writer, finish, header, write_failed, Exported,
    LedgerFilter, Number, Progress, LEDGER_COLUMNS,
};

const LEDGER_SQL: &str = "SELECT e.posted_on, e.kind, e.book, e.memo, e.invoice_number,
        e.receipt_number, e.due_on, e.seq, e.amount_paise, e.reverses, e.tenant_id
     FROM ledger_entry e
     WHERE (?1 IS NULL OR e.tenant_id = ?1)
       AND (?2 IS NULL OR e.tenant_id IN (SELECT tenant_id FROM allocation WHERE property_id = ?2))
       AND (?3 IS NULL OR e.posted_on <= ?3)
     ORDER BY e.tenant_id, e.posted_on, e.seq";

/// The text columns of `LEDGER_SQL`, first in each row.
const TEXT_COLUMNS: usize = 7;

/// The entry a reversal undoes, by its number in the ledger (few entries
/// are reversals: asked for each rather than joined for all).
const REVERSED_SQL: &str = "SELECT seq FROM ledger_entry WHERE id = ?";

const TENANTS_SQL: &str = "SELECT id, full_name, mobile FROM tenant
     WHERE (?1 IS NULL OR id = ?1) ORDER BY id";

/// Lines handed from the reading thread to the writing one.
const LINES_PER_BATCH: usize = 1024;

/// Read lines not yet written: the text cells of each line as the
/// database holds them (posted on, name, mobile, kind, book, memo,
/// invoice, receipt, due on), and its figures.
struct Batch {
    cells: csv::ByteRecord,
    figures: Vec<Figures>,
}

/// Cells of a line's text, in a batch.
const CELLS_PER_LINE: usize = TEXT_COLUMNS + 2;

struct Figures {
    seq: i64,
    amount_paise: i64,
    balance_paise: i64,
    reverses_seq: Option<i64>,
}

impl Batch {
    fn new() -> Batch {
        Batch {
            cells: csv::ByteRecord::with_capacity(LINES_PER_BATCH * 128, LINES_PER_BATCH * 9),
            figures: Vec::with_capacity(LINES_PER_BATCH),
        }
    }
}

fn bytes_at<'r>(row: &'r Row<'_>, i: usize) -> StoreResult<&'r [u8]> {
    row.get_ref(i)
        .map_err(read_failed)?
        .as_bytes()
        .map_err(|e| read_failed(e.into()))
}

fn int_at(row: &Row<'_>, i: usize) -> StoreResult<i64> {
    row.get(i).map_err(read_failed)
}

/// The tenants, by id, read alongside entries that come by tenant id.
struct Tenants<'s> {
    rows: rusqlite::Rows<'s>,
    id: Vec<u8>,
    full_name: Vec<u8>,
    mobile: Vec<u8>,
}

impl Tenants<'_> {
    /// Moves on to the tenant `id`, which is not before the current one.
    fn seek(&mut self, id: &[u8]) -> StoreResult<()> {
        while self.id.as_slice() != id {
            let Some(row) = self.rows.next().map_err(read_failed)? else {
                return Err(read_failed(rusqlite::Error::QueryReturnedNoRows));
            };
            for (i, into) in [&mut self.id, &mut self.full_name, &mut self.mobile]
                .into_iter()
                .enumerate()
            {
                into.clear();
                into.extend_from_slice(bytes_at(row, i)?);
            }
        }
        Ok(())
    }
}

/// Reads the entries the filter picks into batches for `lines`; stops
/// early, without an error, when the writer is gone.
fn read_lines(
    db: &std::path::Path,
    filter: &LedgerFilter,
    lines: mpsc::SyncSender<Batch>,
) -> StoreResult<()> {
    let conn = read_only(db)?;
    // One snapshot for both reads.
    let snapshot = conn.unchecked_transaction().map_err(read_failed)?;
    let mut tenant_statement = snapshot.prepare(TENANTS_SQL).map_err(read_failed)?;
    let mut tenants = Tenants {
        rows: tenant_statement
            .query([filter.tenant_id.as_deref()])
            .map_err(read_failed)?,
        id: Vec::new(),
        full_name: Vec::new(),
        mobile: Vec::new(),
    };
    let mut reversed = snapshot.prepare(REVERSED_SQL).map_err(read_failed)?;
    let mut statement = snapshot.prepare(LEDGER_SQL).map_err(read_failed)?;
    let mut rows = statement
        .query((
            filter.tenant_id.as_deref(),
            filter.property_id.as_deref(),
            filter.to.map(iso),
        ))
        .map_err(read_failed)?;
    let from = filter.from.map(iso);
    // The running balance counts every earlier entry of the tenant, also
    // those before `from`: the rows arrive by tenant, then by day posted,
    // and the ones before the range are summed but not written.
    let mut balance = 0i64;
    let mut batch = Batch::new();
    while let Some(row) = rows.next().map_err(read_failed)? {
        let paise = int_at(row, 8)?;
        let this_tenant = bytes_at(row, 10)?;
        if this_tenant != tenants.id.as_slice() {
            tenants.seek(this_tenant)?;
            balance = 0;
        }
        balance += paise;
        if let Some(from) = &from {
            if bytes_at(row, 0)? < from.as_bytes() {
                continue;
            }
        }
        for i in 0..TEXT_COLUMNS {
            match row.get_ref(i).map_err(read_failed)? {
                ValueRef::Text(text) => batch.cells.push_field(text),
                ValueRef::Null => batch.cells.push_field(b""),
                ValueRef::Integer(n) => batch.cells.push_field(Number::whole(n).as_bytes()),
                ValueRef::Real(_) | ValueRef::Blob(_) => {
                    return Err(read_failed(rusqlite::Error::InvalidColumnType(
                        i,
                        "text".into(),
                        rusqlite::types::Type::Blob,
                    )))
                }
            }
        }
        batch.cells.push_field(&tenants.full_name);
        batch.cells.push_field(&tenants.mobile);
        batch.figures.push(Figures {
            seq: int_at(row, 7)?,
            amount_paise: paise,
            balance_paise: balance,
            reverses_seq: match row.get_ref(9).map_err(read_failed)? {
                ValueRef::Null => None,
                reverses => Some(
                    reversed
                        .query_row([rusqlite::types::Value::from(reverses)], |r| r.get(0))
                        .map_err(read_failed)?,
                ),
            },
        });
        if batch.figures.len() == LINES_PER_BATCH
            && lines.send(std::mem::replace(&mut batch, Batch::new())).is_err()
        {
            return Ok(());
        }
    }
    if !batch.figures.is_empty() {
        let _ = lines.send(batch);
    }
    Ok(())
}

/// Pushes a text cell, neutralised.
fn push_text(line: &mut csv::ByteRecord, cell: &[u8]) {
    if is_dangerous_utf8(cell) {
        let mut safe = Vec::with_capacity(cell.len() + 1);
        safe.push(b'\'');
        safe.extend_from_slice(cell);
        line.push_field(&safe);
    } else {
        line.push_field(cell);
    }
}

fn push_rupees(line: &mut csv::ByteRecord, paise: Option<i64>) {
    match paise {
        Some(p) => line.push_field(Number::rupees(p).as_bytes()),
        None => line.push_field(b""),
    }
}

/// Writes the batches `lines` brings as CSV lines, in the columns of
/// [`LEDGER_COLUMNS`].
fn write_lines<W: Write>(
    out: W,
    lines: mpsc::Receiver<Batch>,
    progress: &mut Progress,
) -> StoreResult<Exported<W>> {
    let mut w = csv_writer(out)?;
    header(&mut w, &LEDGER_COLUMNS)?;
    let mut line = csv::ByteRecord::with_capacity(256, LEDGER_COLUMNS.len());
    let mut written = 0u64;
    for batch in lines {
        let mut cells = batch.cells.iter();
        for f in &batch.figures {
            let mut next = || cells.next().unwrap_or_default();
            let [posted_on, kind, book, memo, invoice, receipt, due_on, name, mobile] =
                [(); CELLS_PER_LINE].map(|_| next());
            line.clear();
            line.push_field(Number::whole(f.seq).as_bytes());
            for cell in [posted_on, name, mobile, kind, book, memo, invoice, receipt, due_on] {
                push_text(&mut line, cell);
            }
            push_rupees(&mut line, (f.amount_paise > 0).then_some(f.amount_paise));
            push_rupees(&mut line, (f.amount_paise < 0).then(|| -f.amount_paise));
            push_rupees(&mut line, Some(f.balance_paise));
            match f.reverses_seq {
                Some(seq) => line.push_field(Number::whole(seq).as_bytes()),
                None => line.push_field(b""),
            }
            w.write_byte_record(&line).map_err(write_failed)?;
            progress.tick(&mut written)?;
        }
    }
    finish(w, written, progress)
}

fn ledger_csv<W: Write + Send>(
    db: &std::path::Path,
    filter: &LedgerFilter,
    out: W,
    progress: &mut Progress,
) -> StoreResult<Exported<W>> {
    check_range(filter.from, filter.to)?;
    // A few batches in flight keep both threads busy.
    let (send, receive) = mpsc::sync_channel::<Batch>(4);
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || write_lines(out, receive, progress));
        let read = read_lines(db, filter, send);
        let written = writer.join().map_err(|_| {
            StoreError::Database(sqlx::Error::Protocol("the export's writer stopped".into()))
        })?;
        // A reading error leaves the file short: it wins over what was
        // written. A stopped writer (cancelled, disk full) stops the reading.
        read?;
        written
    })
}

impl Store {
    /// Streams ledger lines into `out` as CSV: per tenant, by the day
    /// posted then the order recorded, with the running balance of the
    /// tenant's statement.
    pub async fn export_ledger<W: Write + Send + 'static>(
        &self,
        filter: LedgerFilter,
        out: W,
        mut progress: Progress,
    ) -> StoreResult<Exported<W>> {
        let db = self.path().to_path_buf();
        blocking(move || ledger_csv(&db, &filter, out, &mut progress)).await
    }
}
