//! A prepared statement read row by row and cell by cell through SQLite's
//! C interface, for the few reads that go through a million rows.
//!
//! rusqlite hands out each cell through a type check and three calls into
//! SQLite (`sqlite3_column_type`, `_text`, `_bytes`), with its own checks
//! around them; on the ledger export's eleven cells a row that was a fifth
//! of all the work. Here a text cell costs two calls (SQLite answers a NULL
//! with a null pointer) and an integer two.
//!
//! Safety rests on three rules, kept by the types:
//! - a [`Cursor`] borrows its connection, so it is finalised before the
//!   connection closes, and it is not `Send`, as the connection's handle
//!   is used from one thread;
//! - a [`CursorRow`] borrows the cursor mutably, and the cells it hands out
//!   borrow the row, so no cell outlives the step that produced it;
//! - a cell is read as UTF-8 text or as an integer, never as UTF-16 or a
//!   blob, the conversions that would move the bytes a slice points at.

use std::ffi::{c_char, c_int, CStr};
use std::marker::PhantomData;
use std::ptr::NonNull;

use rusqlite::ffi;
use rusqlite::types::Type;

type Result<T> = std::result::Result<T, rusqlite::Error>;

/// A statement prepared on a connection it borrows.
pub(crate) struct Cursor<'c> {
    stmt: NonNull<ffi::sqlite3_stmt>,
    db: *mut ffi::sqlite3,
    columns: c_int,
    _conn: PhantomData<&'c rusqlite::Connection>,
}

/// The row a cursor stands on, until it steps again.
pub(crate) struct CursorRow<'s> {
    stmt: *mut ffi::sqlite3_stmt,
    columns: c_int,
    _cursor: PhantomData<&'s mut ()>,
}

/// A text longer than SQLite takes (its lengths are C ints).
fn too_big() -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_TOOBIG), None)
}

/// The error SQLite reported on `db` for `code`, with its message.
fn failure(db: *mut ffi::sqlite3, code: c_int) -> rusqlite::Error {
    // SAFETY: `db` is an open connection; the message is copied before any
    // other call on it.
    let message = unsafe {
        let text = ffi::sqlite3_errmsg(db);
        (!text.is_null()).then(|| CStr::from_ptr(text).to_string_lossy().into_owned())
    };
    rusqlite::Error::SqliteFailure(ffi::Error::new(code), message)
}

impl<'c> Cursor<'c> {
    /// Prepares the one statement `sql` on `conn`.
    pub(crate) fn prepare(conn: &'c rusqlite::Connection, sql: &str) -> Result<Cursor<'c>> {
        let length = c_int::try_from(sql.len()).map_err(|_| too_big())?;
        // SAFETY: the handle stays open while `conn` is borrowed, which the
        // cursor's lifetime ensures; the SQL is passed with its length, so
        // it needs no terminating NUL.
        unsafe {
            let db = conn.handle();
            let mut stmt = std::ptr::null_mut();
            let code = ffi::sqlite3_prepare_v3(
                db,
                sql.as_ptr().cast::<c_char>(),
                length,
                0,
                &mut stmt,
                std::ptr::null_mut(),
            );
            if code != ffi::SQLITE_OK {
                return Err(failure(db, code));
            }
            let stmt = NonNull::new(stmt).ok_or(rusqlite::Error::InvalidQuery)?;
            Ok(Cursor {
                stmt,
                db,
                columns: ffi::sqlite3_column_count(stmt.as_ptr()),
                _conn: PhantomData,
            })
        }
    }

    fn bound(&self, code: c_int) -> Result<()> {
        match code {
            ffi::SQLITE_OK => Ok(()),
            code => Err(failure(self.db, code)),
        }
    }

    /// Binds parameter `index` (from 1) to the text `value`.
    pub(crate) fn bind_text(&mut self, index: c_int, value: &str) -> Result<()> {
        let length = c_int::try_from(value.len()).map_err(|_| too_big())?;
        // SAFETY: the statement is live and not stepping (binding needs
        // `&mut self`, and rows borrow the cursor); SQLITE_TRANSIENT makes
        // SQLite copy the text.
        let code = unsafe {
            ffi::sqlite3_bind_text(
                self.stmt.as_ptr(),
                index,
                value.as_ptr().cast::<c_char>(),
                length,
                ffi::SQLITE_TRANSIENT(),
            )
        };
        self.bound(code)
    }

    /// Binds parameter `index` (from 1) to `value`.
    pub(crate) fn bind_int(&mut self, index: c_int, value: i64) -> Result<()> {
        // SAFETY: as in `bind_text`.
        let code = unsafe { ffi::sqlite3_bind_int64(self.stmt.as_ptr(), index, value) };
        self.bound(code)
    }

    /// Puts the statement back before its first row, keeping its bindings.
    pub(crate) fn rewind(&mut self) {
        // SAFETY: the statement is live. An error of the last step is
        // reported by that step; reset only repeats it.
        unsafe {
            ffi::sqlite3_reset(self.stmt.as_ptr());
        }
    }

    /// The next row, or None after the last.
    pub(crate) fn next(&mut self) -> Result<Option<CursorRow<'_>>> {
        // SAFETY: the statement is live; no cell of the previous row is
        // borrowed, since they borrow `self` too.
        match unsafe { ffi::sqlite3_step(self.stmt.as_ptr()) } {
            ffi::SQLITE_ROW => Ok(Some(CursorRow {
                stmt: self.stmt.as_ptr(),
                columns: self.columns,
                _cursor: PhantomData,
            })),
            ffi::SQLITE_DONE => Ok(None),
            code => Err(failure(self.db, code)),
        }
    }
}

impl Drop for Cursor<'_> {
    fn drop(&mut self) {
        // SAFETY: the statement was prepared on a connection still open
        // (borrowed for 'c) and is finalised once.
        unsafe {
            ffi::sqlite3_finalize(self.stmt.as_ptr());
        }
    }
}

impl CursorRow<'_> {
    #[inline]
    fn column(&self, index: usize) -> Result<c_int> {
        c_int::try_from(index)
            .ok()
            .filter(|&i| i < self.columns)
            .ok_or_else(|| rusqlite::Error::InvalidColumnIndex(index))
    }

    /// Cell `index` as text, None when NULL. A cell stored otherwise
    /// comes as SQLite's text of it (an integer as its digits), as
    /// `CAST(x AS TEXT)` would give it.
    #[inline]
    pub(crate) fn text(&self, index: usize) -> Result<Option<&[u8]>> {
        let i = self.column(index)?;
        // SAFETY: the row is current (it borrows the cursor, which cannot
        // step meanwhile). The bytes stay where they are until the next
        // step, as no cell is converted again (see the module note).
        unsafe {
            let text = ffi::sqlite3_column_text(self.stmt, i);
            if text.is_null() {
                // A NULL, or no memory left to make the text.
                return match ffi::sqlite3_column_type(self.stmt, i) {
                    ffi::SQLITE_NULL => Ok(None),
                    _ => Err(rusqlite::Error::SqliteFailure(
                        ffi::Error::new(ffi::SQLITE_NOMEM),
                        None,
                    )),
                };
            }
            let length = usize::try_from(ffi::sqlite3_column_bytes(self.stmt, i)).unwrap_or(0);
            Ok(Some(std::slice::from_raw_parts(text, length)))
        }
    }

    /// Cell `index` as an integer; NULL or any other type is refused.
    #[inline]
    pub(crate) fn int(&self, index: usize) -> Result<i64> {
        let i = self.column(index)?;
        // SAFETY: as in `text`; reading an integer converts nothing.
        unsafe {
            match ffi::sqlite3_column_type(self.stmt, i) {
                ffi::SQLITE_INTEGER => Ok(ffi::sqlite3_column_int64(self.stmt, i)),
                other => Err(rusqlite::Error::InvalidColumnType(
                    index,
                    String::new(),
                    type_of(other),
                )),
            }
        }
    }
}

fn type_of(code: c_int) -> Type {
    match code {
        ffi::SQLITE_NULL => Type::Null,
        ffi::SQLITE_INTEGER => Type::Integer,
        ffi::SQLITE_FLOAT => Type::Real,
        ffi::SQLITE_TEXT => Type::Text,
        _ => Type::Blob,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(conn: &rusqlite::Connection, sql: &str) -> Vec<Vec<Option<Vec<u8>>>> {
        let mut cursor = Cursor::prepare(conn, sql).unwrap();
        let mut rows = Vec::new();
        while let Some(row) = cursor.next().unwrap() {
            rows.push(
                (0..2)
                    .map(|i| row.text(i).unwrap().map(<[u8]>::to_vec))
                    .collect(),
            );
        }
        rows
    }

    #[test]
    fn cells_come_as_text_null_or_integers() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (a TEXT, b);
             INSERT INTO t VALUES ('₹ Aarav', 42), (NULL, ''), ('', NULL);",
        )
        .unwrap();
        assert_eq!(
            cells(&conn, "SELECT a, b FROM t ORDER BY rowid"),
            vec![
                vec![Some("₹ Aarav".as_bytes().to_vec()), Some(b"42".to_vec())],
                vec![None, Some(Vec::new())],
                vec![Some(Vec::new()), None],
            ]
        );
        let mut cursor = Cursor::prepare(&conn, "SELECT b, a FROM t ORDER BY rowid").unwrap();
        let row = cursor.next().unwrap().unwrap();
        assert_eq!(row.int(0).unwrap(), 42);
        assert!(matches!(
            row.int(1),
            Err(rusqlite::Error::InvalidColumnType(1, _, Type::Text))
        ));
        assert!(matches!(
            row.text(2),
            Err(rusqlite::Error::InvalidColumnIndex(2))
        ));
    }

    #[test]
    fn a_rewound_cursor_reads_again_with_new_bindings() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (n INTEGER, s TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c');")
            .unwrap();
        let mut cursor = Cursor::prepare(
            &conn,
            "SELECT s FROM t WHERE n >= ?1 AND s <> ?2 ORDER BY n",
        )
        .unwrap();
        let read = |cursor: &mut Cursor<'_>| {
            let mut out = Vec::new();
            while let Some(row) = cursor.next().unwrap() {
                out.push(row.text(0).unwrap().unwrap().to_vec());
            }
            out
        };
        cursor.bind_int(1, 2).unwrap();
        cursor.bind_text(2, "x").unwrap();
        assert_eq!(read(&mut cursor), vec![b"b".to_vec(), b"c".to_vec()]);
        cursor.rewind();
        cursor.bind_text(2, "c").unwrap();
        assert_eq!(read(&mut cursor), vec![b"b".to_vec()]);
        cursor.rewind();
        // Past the last number: no row.
        cursor.bind_int(1, 4).unwrap();
        assert!(read(&mut cursor).is_empty());
        assert!(cursor.bind_int(3, 0).is_err(), "no parameter 3");
    }

    #[test]
    fn a_statement_sqlite_cannot_prepare_is_an_error_with_its_message() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let prepared = Cursor::prepare(&conn, "SELECT name FROM nowhere").map(|_| ());
        match prepared {
            Err(rusqlite::Error::SqliteFailure(_, Some(message))) => {
                assert!(message.contains("nowhere"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }
}
