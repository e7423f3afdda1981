//! The ledger as CSV: every entry, tenant by tenant, by the day posted then
//! the order recorded, with the running balance of the tenant's statement.
//!
//! Reading a million entries in that order and formatting them is most of
//! the work (the statement index holds every cell shown, migration 0017,
//! so SQLite walks it alone). So the tenants are cut into chunks of
//! consecutive ids, two threads read alternate chunks on connections of
//! their own and neutralise and format their lines as CSV, and this one
//! writes their bytes chunk by chunk, in order. Each reader works at most a
//! chunk ahead, so memory stays a few MB.
//!
//! Per line, the readers do no more than they must: the entries come
//! through [`Cursor`] (two calls into SQLite a cell), the lines are
//! formatted by [`CsvLines`] straight into the batch handed over (the csv
//! crate's quoting, one copy a cell), a tenant's name and mobile are
//! neutralised once for all their entries, and the statement holds only
//! the conditions the filter asks for.
//!
//! All readers export the same ledger: the entries recorded up to the
//! last one when the export began (the ledger is append-only and numbered
//! in the order of commits). The tenants' names are read beside the
//! entries, by tenant id as they are (a merge, not a lookup per entry),
//! and the invoice and receipt numbers off the entry itself (migration
//! 0014).

use std::io::Write;
use std::sync::mpsc;

use multipms_domain::csv_cell::is_dangerous_utf8;
use rusqlite::Row;

use crate::clock::iso;
use crate::csv_lines::CsvLines;
use crate::database::{read_failed, read_only, Store};
use crate::error::{StoreError, StoreResult};
use crate::export::{
    blocking, check_range, csv_writer, finish_bytes, header, into_inner, write_failed, Exported,
    LedgerFilter, Number, Progress, LEDGER_COLUMNS,
};
use crate::sqlite_cursor::{Cursor, CursorRow};

/// The entries of the tenants from ?1 to ?2 (ids, inclusive) recorded up
/// to ?3, in the order of the statement index; of those, the ones that
/// `filter` asks for (tenants who stayed at the property ?4, posted up to
/// ?5). A condition the filter leaves open is left out of the statement
/// rather than tested on each of a million rows. The chunks already name
/// only the tenant a one-tenant filter asks for.
fn ledger_sql(filter: &LedgerFilter) -> String {
    let mut sql = String::from(
        "SELECT e.posted_on, e.kind, e.book, e.memo, e.invoice_number,
            e.receipt_number, e.due_on, e.seq, e.amount_paise, e.reverses, e.tenant_id
         FROM ledger_entry e
         WHERE e.tenant_id BETWEEN ?1 AND ?2 AND e.seq <= ?3",
    );
    if filter.property_id.is_some() {
        sql.push_str(
            " AND e.tenant_id IN (SELECT tenant_id FROM allocation WHERE property_id = ?4)",
        );
    }
    if filter.to.is_some() {
        sql.push_str(" AND e.posted_on <= ?5");
    }
    sql.push_str(" ORDER BY e.tenant_id, e.posted_on, e.seq");
    sql
}

/// The text columns of [`ledger_sql`], first in each row.
const TEXT_COLUMNS: usize = 7;

/// The entry a reversal undoes, by its number in the ledger (few entries
/// are reversals: asked for each rather than joined for all).
const REVERSED_SQL: &str = "SELECT seq FROM ledger_entry WHERE id = ?";

const TENANT_IDS_SQL: &str = "SELECT id FROM tenant WHERE (?1 IS NULL OR id = ?1) ORDER BY id";

const TENANTS_SQL: &str = "SELECT id, full_name, mobile FROM tenant
     WHERE id BETWEEN ?1 AND ?2 ORDER BY id";

/// Threads reading entries.
const READERS: usize = 2;

/// Tenants a chunk: some 10,000 lines on a business three years old.
const TENANTS_PER_CHUNK: usize = 256;

/// Lines handed from a reading thread to the writing one at a time.
const LINES_PER_BATCH: usize = 1024;

/// Batches a reader may have waiting: a chunk and some.
const BATCHES_WAITING: usize = 16;

/// Lines read and formatted, not yet written: CSV bytes, whole lines.
struct Batch {
    csv: Vec<u8>,
    lines: u64,
    /// The last batch of its chunk.
    ends_chunk: bool,
}

impl Batch {
    fn new() -> Batch {
        Batch {
            csv: Vec::with_capacity(LINES_PER_BATCH * 160),
            lines: 0,
            ends_chunk: false,
        }
    }
}

fn bytes_at<'r>(row: &'r Row<'_>, i: usize) -> StoreResult<&'r [u8]> {
    row.get_ref(i)
        .map_err(read_failed)?
        .as_bytes()
        .map_err(|e| read_failed(e.into()))
}

/// Text cell `i` of `row`, empty when NULL.
#[inline]
fn cell<'r>(row: &'r CursorRow<'_>, i: usize) -> StoreResult<&'r [u8]> {
    Ok(row.text(i).map_err(read_failed)?.unwrap_or_default())
}

/// What the export covers: chunks of consecutive tenant ids (first and
/// last of each), and the last entry recorded.
struct Plan {
    chunks: Vec<(String, String)>,
    last_seq: i64,
}

fn plan(
    db: &std::path::Path,
    filter: &LedgerFilter,
    tenants_per_chunk: usize,
) -> StoreResult<Plan> {
    let conn = read_only(db)?;
    let snapshot = conn.unchecked_transaction().map_err(read_failed)?;
    let last_seq: i64 = snapshot
        .query_row("SELECT coalesce(max(seq), 0) FROM ledger_entry", [], |r| {
            r.get(0)
        })
        .map_err(read_failed)?;
    let mut statement = snapshot.prepare(TENANT_IDS_SQL).map_err(read_failed)?;
    let ids = statement
        .query_map([filter.tenant_id.as_deref()], |r| r.get::<_, String>(0))
        .map_err(read_failed)?
        .collect::<Result<Vec<String>, _>>()
        .map_err(read_failed)?;
    let chunks = ids
        .chunks(tenants_per_chunk.max(1))
        .filter_map(|c| Some((c.first()?.clone(), c.last()?.clone())))
        .collect();
    Ok(Plan { chunks, last_seq })
}

/// The tenants, by id, read alongside entries that come by tenant id; the
/// name and mobile as their cells are written, neutralised once a tenant
/// rather than on each of their entries.
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
            self.id.clear();
            self.id.extend_from_slice(bytes_at(row, 0)?);
            neutralise_into(&mut self.full_name, bytes_at(row, 1)?);
            neutralise_into(&mut self.mobile, bytes_at(row, 2)?);
        }
        Ok(())
    }
}

/// One reading thread: its connection and where its lines go.
struct Reader<'p> {
    plan: &'p Plan,
    filter: &'p LedgerFilter,
    lines: mpsc::SyncSender<Batch>,
    /// Batches written and handed back, to fill again.
    spent: mpsc::Receiver<Batch>,
}

impl Reader<'_> {
    /// Reads the chunks `first`, `first + READERS`… into batches; stops
    /// early, without an error, when the writer is gone.
    fn read(&self, db: &std::path::Path, first: usize) -> StoreResult<()> {
        let conn = read_only(db)?;
        let snapshot = conn.unchecked_transaction().map_err(read_failed)?;
        let mut reversed = snapshot.prepare(REVERSED_SQL).map_err(read_failed)?;
        let mut entries =
            Cursor::prepare(&snapshot, &ledger_sql(self.filter)).map_err(read_failed)?;
        entries
            .bind_int(3, self.plan.last_seq)
            .map_err(read_failed)?;
        // ?4 and ?5 are in the statement only when the filter names them.
        if let Some(property) = &self.filter.property_id {
            entries.bind_text(4, property).map_err(read_failed)?;
        }
        if let Some(to) = self.filter.to.map(iso) {
            entries.bind_text(5, &to).map_err(read_failed)?;
        }
        let mut names = snapshot.prepare(TENANTS_SQL).map_err(read_failed)?;
        let from = self.filter.from.map(iso);
        // This reader's lines, formatted as CSV into the batch being filled.
        let mut csv = CsvLines::new(Batch::new().csv);
        let mut lines = 0u64;
        for (lo, hi) in self.plan.chunks.iter().skip(first).step_by(READERS) {
            let mut tenants = Tenants {
                rows: names.query([lo, hi]).map_err(read_failed)?,
                id: Vec::new(),
                full_name: Vec::new(),
                mobile: Vec::new(),
            };
            entries.rewind();
            entries.bind_text(1, lo).map_err(read_failed)?;
            entries.bind_text(2, hi).map_err(read_failed)?;
            // The running balance counts every earlier entry of the
            // tenant, also those before `from`: the rows arrive by tenant,
            // then by day posted, and the ones before the range are summed
            // but not written.
            let mut balance = 0i64;
            while let Some(row) = entries.next().map_err(read_failed)? {
                let paise = row.int(8).map_err(read_failed)?;
                let this_tenant = cell(&row, 10)?;
                if this_tenant != tenants.id.as_slice() {
                    tenants.seek(this_tenant)?;
                    balance = 0;
                }
                balance += paise;
                if let Some(from) = &from {
                    if cell(&row, 0)? < from.as_bytes() {
                        continue;
                    }
                }
                let reverses_seq = match row.text(9).map_err(read_failed)? {
                    None => None,
                    Some(reverses) => {
                        let id =
                            std::str::from_utf8(reverses).map_err(|e| read_failed(e.into()))?;
                        Some(
                            reversed
                                .query_row([id], |r| r.get::<_, i64>(0))
                                .map_err(read_failed)?,
                        )
                    }
                };
                // The line, cell by cell, into this reader's CSV.
                let line = &mut csv;
                line.number(Number::whole(row.int(7).map_err(read_failed)?).as_bytes());
                // posted on, name, mobile, kind, book, memo, invoice,
                // receipt, due on
                push_cell(line, &row, 0)?;
                line.cell(&tenants.full_name);
                line.cell(&tenants.mobile);
                for i in 1..TEXT_COLUMNS {
                    push_cell(line, &row, i)?;
                }
                push_rupees(line, (paise > 0).then_some(paise));
                push_rupees(line, (paise < 0).then(|| -paise));
                push_rupees(line, Some(balance));
                match reverses_seq {
                    Some(seq) => line.number(Number::whole(seq).as_bytes()),
                    None => line.cell(b""),
                }
                line.end_line();
                lines += 1;
                if lines == LINES_PER_BATCH as u64 && !self.send(&mut csv, &mut lines, false) {
                    return Ok(());
                }
            }
            if !self.send(&mut csv, &mut lines, true) {
                return Ok(());
            }
        }
        Ok(())
    }

    /// Hands the `lines` formatted in `csv` over and takes an empty batch
    /// in their place; false once the writer is gone.
    fn send(&self, csv: &mut CsvLines, lines: &mut u64, ends_chunk: bool) -> bool {
        let next = self.spent.try_recv().unwrap_or_else(|_| Batch::new());
        let full = Batch {
            csv: csv.hand_over(next.csv),
            lines: std::mem::take(lines),
            ends_chunk,
        };
        self.lines.send(full).is_ok()
    }
}

/// Pushes the text cell `i` of `row`, neutralised.
#[inline]
fn push_cell(line: &mut CsvLines, row: &CursorRow<'_>, i: usize) -> StoreResult<()> {
    match row.text(i).map_err(read_failed)? {
        Some(text) => push_text(line, text),
        None => line.cell(b""),
    }
    Ok(())
}

/// `cell` into `into`, neutralised.
fn neutralise_into(into: &mut Vec<u8>, cell: &[u8]) {
    into.clear();
    if is_dangerous_utf8(cell) {
        into.push(b'\'');
    }
    into.extend_from_slice(cell);
}

/// Pushes a text cell, neutralised.
#[inline]
fn push_text(line: &mut CsvLines, cell: &[u8]) {
    if is_dangerous_utf8(cell) {
        line.cell(&[b"'", cell].concat());
    } else {
        line.cell(cell);
    }
}

#[inline]
fn push_rupees(line: &mut CsvLines, paise: Option<i64>) {
    match paise {
        Some(p) => line.number(Number::rupees(p).as_bytes()),
        None => line.cell(b""),
    }
}

/// The error of a writer whose reader stopped before the end (the
/// reader's own error is the one reported).
fn reader_stopped() -> StoreError {
    StoreError::Database(sqlx::Error::Protocol("the export's reading stopped".into()))
}

/// Writes the header of [`LEDGER_COLUMNS`] and the lines of `chunks`
/// chunks, as the readers formatted them: chunk `n` comes from
/// `inboxes[n % READERS]`, and each batch goes back emptied to the
/// reader's `spent`.
fn write_lines<W: Write>(
    out: W,
    chunks: usize,
    inboxes: &[(mpsc::Receiver<Batch>, mpsc::Sender<Batch>)],
    progress: &mut Progress,
) -> StoreResult<Exported<W>> {
    let mut w = csv_writer(out)?;
    header(&mut w, &LEDGER_COLUMNS)?;
    let mut out = into_inner(w)?;
    let mut written = 0u64;
    for (lines, spent) in inboxes.iter().cycle().take(chunks) {
        loop {
            let batch = lines.recv().map_err(|_| reader_stopped())?;
            out.write_all(&batch.csv)
                .map_err(|e| write_failed(e.into()))?;
            for _ in 0..batch.lines {
                progress.tick(&mut written)?;
            }
            let ends_chunk = batch.ends_chunk;
            let _ = spent.send(batch);
            if ends_chunk {
                break;
            }
        }
    }
    finish_bytes(out, written, progress)
}

fn ledger_csv<W: Write>(
    db: &std::path::Path,
    filter: &LedgerFilter,
    out: W,
    progress: &mut Progress,
    tenants_per_chunk: usize,
) -> StoreResult<Exported<W>> {
    check_range(filter.from, filter.to)?;
    let plan = plan(db, filter, tenants_per_chunk)?;
    std::thread::scope(|scope| {
        let mut readers = Vec::with_capacity(READERS);
        let mut inboxes = Vec::with_capacity(READERS);
        for first in 0..READERS {
            let (lines, inbox) = mpsc::sync_channel::<Batch>(BATCHES_WAITING);
            let (give_back, spent) = mpsc::channel::<Batch>();
            let reader = Reader {
                plan: &plan,
                filter,
                lines,
                spent,
            };
            readers.push(scope.spawn(move || reader.read(db, first)));
            inboxes.push((inbox, give_back));
        }
        let written = write_lines(out, plan.chunks.len(), &inboxes, progress);
        // A stopped writer (cancelled, disk full) stops the readers.
        drop(inboxes);
        for reader in readers {
            // A reading error leaves the file short: it wins over what
            // was written.
            reader.join().map_err(|_| reader_stopped())??;
        }
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
        blocking(move || ledger_csv(&db, &filter, out, &mut progress, TENANTS_PER_CHUNK)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Five tenants with a few entries each, one of them a reversal.
    async fn ledger() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        for t in 0..5 {
            sqlx::query(
                "INSERT INTO tenant (id, full_name, mobile, created_at, updated_at)
                 VALUES (?, ?, '+919000000000', 'x', 'x')",
            )
            .bind(format!("t{t}"))
            .bind(if t == 2 {
                "=cmd".to_string()
            } else {
                format!("Tenant {t}")
            })
            .execute(store.pool())
            .await
            .unwrap();
        }
        let entries = [
            ("e1", "t0", "charge", 1000, "2026-04-01", None),
            ("e2", "t1", "charge", 2000, "2026-04-01", None),
            ("e3", "t0", "payment", -700, "2026-04-03", None),
            ("e4", "t3", "charge", 500, "2026-04-02", None),
            ("e5", "t0", "reversal", 700, "2026-04-05", Some("e3")),
            ("e6", "t4", "charge", 900, "2026-03-30", None),
            ("e7", "t1", "payment", -2000, "2026-03-31", None),
        ];
        for (id, tenant, kind, amount, on, reverses) in entries {
            sqlx::query(
                "INSERT INTO ledger_entry (id, tenant_id, kind, book, amount_paise, posted_on,
                    due_on, reverses, memo, desk_id, recorded_at)
                 VALUES (?, ?, ?, 'dues', ?, ?, ?, ?, '-memo', 'd', 'x')",
            )
            .bind(id)
            .bind(tenant)
            .bind(kind)
            .bind(amount)
            .bind(on)
            .bind((kind == "charge").then_some(on))
            .bind(reverses)
            .execute(store.pool())
            .await
            .unwrap();
        }
        (dir, store)
    }

    fn export(store: &Store, filter: &LedgerFilter, tenants_per_chunk: usize) -> Vec<u8> {
        ledger_csv(
            store.path(),
            filter,
            Vec::new(),
            &mut Progress::silent(),
            tenants_per_chunk,
        )
        .unwrap()
        .out
    }

    #[tokio::test]
    async fn chunks_of_any_size_write_the_same_file() {
        let (_dir, store) = ledger().await;
        for filter in [
            LedgerFilter::default(),
            LedgerFilter {
                from: chrono::NaiveDate::from_ymd_opt(2026, 4, 2),
                ..Default::default()
            },
            LedgerFilter {
                tenant_id: Some("t1".into()),
                ..Default::default()
            },
        ] {
            let whole = export(&store, &filter, TENANTS_PER_CHUNK);
            for size in [1, 2, 3] {
                assert_eq!(
                    export(&store, &filter, size),
                    whole,
                    "{size} a chunk, {filter:?}"
                );
            }
        }
        let text = String::from_utf8(export(&store, &LedgerFilter::default(), 1)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 8, "{text}");
        // By tenant, then day posted; balances run per tenant; the
        // reversal names the payment by its seq; text cells neutralised.
        assert_eq!(
            lines[1],
            "1,2026-04-01,Tenant 0,'+919000000000,charge,dues,'-memo,,,2026-04-01,10.00,,10.00,"
        );
        assert_eq!(
            lines[2],
            "3,2026-04-03,Tenant 0,'+919000000000,payment,dues,'-memo,,,,,7.00,3.00,"
        );
        assert_eq!(
            lines[3],
            "5,2026-04-05,Tenant 0,'+919000000000,reversal,dues,'-memo,,,,7.00,,10.00,3"
        );
        assert_eq!(
            lines[4],
            "7,2026-03-31,Tenant 1,'+919000000000,payment,dues,'-memo,,,,,20.00,-20.00,"
        );
        assert_eq!(
            lines[5],
            "2,2026-04-01,Tenant 1,'+919000000000,charge,dues,'-memo,,,2026-04-01,20.00,,0.00,"
        );
        assert!(
            lines[6].starts_with("4,2026-04-02,Tenant 3,"),
            "{}",
            lines[6]
        );
        assert!(
            lines[7].starts_with("6,2026-03-30,Tenant 4,"),
            "{}",
            lines[7]
        );
    }
}
