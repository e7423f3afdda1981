-- What the ledger export and the dues list read, kept as entries are
-- written instead of looked up or replayed on every read.

-- The invoice and receipt numbers an entry books, copied from the invoice
-- and the payment when the entry is written: the export of a million
-- entries then reads them off the entry instead of joining two tables.
ALTER TABLE ledger_entry ADD COLUMN invoice_number TEXT;
ALTER TABLE ledger_entry ADD COLUMN receipt_number TEXT;

-- Entries written before this migration get theirs now, the only time an
-- entry is ever changed. The copy runs as the server's truth does
-- (`sync_clock.applying`): the append-only guard lets it through and the
-- sync capture does not send a million edits to the server.
UPDATE sync_clock SET applying = 1;
UPDATE ledger_entry
SET invoice_number = (SELECT number FROM invoice WHERE id = ledger_entry.invoice_id)
WHERE invoice_id IS NOT NULL;
UPDATE ledger_entry
SET receipt_number = (SELECT receipt_number FROM payment WHERE id = ledger_entry.payment_id)
WHERE payment_id IS NOT NULL;
UPDATE sync_clock SET applying = 0;

-- A copied number must be the number of the invoice or payment the entry
-- points at. Not checked on the server's truth: a pulled entry may arrive
-- before its invoice.
CREATE TRIGGER ledger_entry_numbers_match BEFORE INSERT ON ledger_entry
WHEN (SELECT applying FROM sync_clock) = 0 AND (
     NEW.invoice_number IS NOT (SELECT number FROM invoice WHERE id = NEW.invoice_id)
  OR NEW.receipt_number IS NOT (SELECT receipt_number FROM payment WHERE id = NEW.payment_id)
)
BEGIN
    SELECT RAISE(ABORT, 'a ledger entry must carry the numbers of its invoice and payment');
END;

-- Each tenant's dues book (the sum of its entries), kept by a trigger as
-- entries are appended: the dues list reads the tenants who owe or hold
-- credit from here.
CREATE TABLE account_dues (
    tenant_id       TEXT PRIMARY KEY REFERENCES tenant (id),
    dues_paise      INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO account_dues (tenant_id, dues_paise)
SELECT tenant_id, sum(amount_paise) FROM ledger_entry WHERE book = 'dues' GROUP BY tenant_id;

CREATE TRIGGER account_dues_on_entry AFTER INSERT ON ledger_entry
WHEN NEW.book = 'dues'
BEGIN
    INSERT INTO account_dues (tenant_id, dues_paise) VALUES (NEW.tenant_id, NEW.amount_paise)
    ON CONFLICT (tenant_id) DO UPDATE SET dues_paise = dues_paise + excluded.dues_paise;
END;

-- Entries leave the desk only as the server's truth (a refused operation
-- rolled back, a row replaced by the server's): the totals follow.
CREATE TRIGGER account_dues_on_entry_gone AFTER DELETE ON ledger_entry
WHEN OLD.book = 'dues'
BEGIN
    UPDATE account_dues SET dues_paise = dues_paise - OLD.amount_paise
    WHERE tenant_id = OLD.tenant_id;
END;

CREATE TRIGGER account_dues_on_entry_changed AFTER UPDATE OF tenant_id, book, amount_paise ON ledger_entry
BEGIN
    UPDATE account_dues SET dues_paise = dues_paise - OLD.amount_paise
    WHERE OLD.book = 'dues' AND tenant_id = OLD.tenant_id;
    INSERT INTO account_dues (tenant_id, dues_paise)
    SELECT NEW.tenant_id, NEW.amount_paise WHERE NEW.book = 'dues'
    ON CONFLICT (tenant_id) DO UPDATE SET dues_paise = dues_paise + excluded.dues_paise;
END;

-- The dues entries by the day posted: asked as of a day before the latest
-- entries (a month billed ahead, say), the dues list takes what was posted
-- after it off the totals above. A billing run adds its entries together
-- at one end.
CREATE INDEX ledger_entry_dues_by_day ON ledger_entry (posted_on, tenant_id, amount_paise)
    WHERE book = 'dues';

-- A tenant's open items by due date, newest first, so the dues list reads
-- only the few that are still unpaid. The key is kept short: a billing run
-- writes every leaf page of an index keyed by tenant.
CREATE INDEX ledger_entry_open_item
    ON ledger_entry (tenant_id, coalesce(due_on, posted_on))
    WHERE book = 'dues' AND amount_paise > 0 AND kind <> 'reversal';

-- A tenant's entries in the order recorded are read through the statement
-- index (by day posted, then the order recorded) and sorted: a tenant has
-- a few dozen. One index fewer to keep: a billing run touches every leaf
-- page of each index keyed by tenant.
DROP INDEX ledger_entry_tenant;

-- One standing invoice per contract and month, keyed by the month first:
-- a month's run then adds its entries at the end of the index, not beside
-- each contract's earlier months (which rewrote every page of it).
DROP INDEX invoice_one_per_contract_month;
CREATE UNIQUE INDEX invoice_one_per_contract_month ON invoice (month, contract_id)
    WHERE status = 'issued';
