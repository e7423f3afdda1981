//! CSV lines formatted straight into a byte vector that a reading thread
//! of an export hands over whole.
//!
//! `csv::Writer` takes a line either field by field through its state
//! machine and its own buffer, which it then copies on, or gathered first
//! in a `ByteRecord`; at a million lines of fourteen cells either way cost
//! more than the formatting itself. This does what `csv::Writer` does on
//! its fast path for a whole record (`write_byte_record`), cell by cell:
//! `csv_core` decides whether a cell needs quotes and escapes it, and the
//! cell is copied once, into the vector. The output is that of
//! `csv::Writer` with its defaults (the test below holds them together):
//! cells apart by commas, quoted when they hold a comma, a quote or a line
//! break, quotes inside doubled, `\n` after each line.

use csv_core::Terminator;

/// The lines formatted so far, and the place in the current one.
pub(crate) struct CsvLines {
    /// csv_core's writer with the csv crate's defaults, asked which cells
    /// need quotes and how quotes are escaped.
    core: csv_core::Writer,
    /// Formatted bytes up to `len`; beyond it, room to write into.
    bytes: Vec<u8>,
    len: usize,
    /// Where the current line starts.
    line_start: usize,
    /// Cells written in the current line.
    cells: usize,
}

/// Room added when a cell does not fit: a few lines' worth at least.
const ROOM: usize = 4096;

impl CsvLines {
    /// Formats into `bytes`, emptied (its memory is reused).
    pub(crate) fn new(bytes: Vec<u8>) -> CsvLines {
        let mut lines = CsvLines {
            core: csv_core::Writer::new(),
            bytes,
            len: 0,
            line_start: 0,
            cells: 0,
        };
        lines.make_room(0);
        lines
    }

    /// Makes room for `more` bytes after `len`, and lets the bytes reach
    /// the vector's capacity, so that cells are copied into place.
    fn make_room(&mut self, more: usize) {
        let needed = self.len + more;
        if self.bytes.len() < needed {
            self.bytes.reserve(needed + ROOM - self.bytes.len());
        }
        self.bytes.resize(self.bytes.capacity(), 0);
    }

    #[inline]
    fn push(&mut self, byte: u8) {
        self.bytes[self.len] = byte;
        self.len += 1;
    }

    /// Starts a cell of at most `most` bytes (a comma before it
    /// included): makes room, and puts the comma after the cell before.
    #[inline]
    fn start_cell(&mut self, most: usize) {
        if self.bytes.len() - self.len < most {
            self.make_room(most);
        }
        if self.cells > 0 {
            self.push(self.core.get_delimiter());
        }
        self.cells += 1;
    }

    /// Copies `bytes` into the room made.
    #[inline]
    fn copy(&mut self, bytes: &[u8]) {
        self.bytes[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    /// Adds `cell` to the current line, quoted if it must be.
    #[inline]
    pub(crate) fn cell(&mut self, cell: &[u8]) {
        // At most a comma, two quotes, and every byte a doubled quote.
        self.start_cell(2 * cell.len() + 3);
        if self.core.should_quote(cell) {
            let quote = self.core.get_quote();
            self.push(quote);
            let (_, _, wrote) = csv_core::quote(
                cell,
                &mut self.bytes[self.len..],
                quote,
                self.core.get_escape(),
                self.core.get_double_quote(),
            );
            self.len += wrote;
            self.push(quote);
        } else {
            self.copy(cell);
        }
    }

    /// Adds a number the export formatted itself (digits, a sign, a
    /// decimal point): a cell that never needs quotes, so it is copied
    /// without asking.
    #[inline]
    pub(crate) fn number(&mut self, number: &[u8]) {
        debug_assert!(!self.core.should_quote(number), "{number:?} needs quotes");
        self.start_cell(number.len() + 1);
        self.copy(number);
    }

    /// Ends the current line.
    pub(crate) fn end_line(&mut self) {
        // At most two quotes and two bytes of line end.
        if self.bytes.len() - self.len < 4 {
            self.make_room(4);
        }
        // A line of one empty cell is written as `""`, or it would read
        // back as no cell at all.
        if self.len == self.line_start {
            let quote = self.core.get_quote();
            self.push(quote);
            self.push(quote);
        }
        match self.core.get_terminator() {
            Terminator::CRLF => {
                self.push(b'\r');
                self.push(b'\n');
            }
            Terminator::Any(byte) => self.push(byte),
            _ => self.push(b'\n'),
        }
        self.line_start = self.len;
        self.cells = 0;
    }

    /// The lines formatted so far; formatting goes on into `next`.
    pub(crate) fn hand_over(&mut self, next: Vec<u8>) -> Vec<u8> {
        let mut full = std::mem::replace(&mut self.bytes, next);
        full.truncate(self.len);
        self.len = 0;
        self.line_start = 0;
        self.make_room(0);
        full
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same cells through `csv::Writer` with its defaults.
    fn by_csv_writer(lines: &[Vec<&[u8]>]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        for line in lines {
            w.write_record(line).unwrap();
        }
        w.into_inner().unwrap()
    }

    #[test]
    fn lines_come_out_as_csv_writer_writes_them() {
        let long = vec![b'"'; 10_000];
        let lines: Vec<Vec<&[u8]>> = vec![
            vec![b"1", b"2026-04-01", b"Aarav Sharma", b"", b"6000.00"],
            vec![b"a,b", b"say \"hi\"", b"two\nlines", b"\r", b"'=cmd"],
            vec![b"", b"", b""],
            vec![b""],
            vec![&long, b"after a cell larger than the room"],
            vec!["₹ ನಮಸ್ಕಾರ".as_bytes(), b"x"],
            vec![b"-1234.50", b"", b"7"],
        ];
        // Starting with no room at all and with a little, so that cells
        // and delimiters meet a full buffer.
        for capacity in [0, 7, 64 * 1024] {
            let mut csv = CsvLines::new(Vec::with_capacity(capacity));
            for line in &lines {
                for cell in line {
                    match cell.first() {
                        // The numbers as numbers, the rest as text.
                        Some(b'-' | b'0'..=b'9') => csv.number(cell),
                        _ => csv.cell(cell),
                    }
                }
                csv.end_line();
            }
            let written = csv.hand_over(Vec::new());
            assert_eq!(
                String::from_utf8_lossy(&written),
                String::from_utf8_lossy(&by_csv_writer(&lines)),
                "capacity {capacity}"
            );
        }
    }

    #[test]
    fn handing_over_starts_afresh_in_the_next_vector() {
        let mut csv = CsvLines::new(Vec::new());
        csv.cell(b"first");
        csv.end_line();
        let mut reused = b"old bytes that must not show".to_vec();
        reused.clear();
        assert_eq!(csv.hand_over(reused), b"first\n");
        csv.cell(b"second");
        csv.cell(b"line");
        csv.end_line();
        assert_eq!(csv.hand_over(Vec::new()), b"second,line\n");
    }
}
