-- Sync with the organisation's server (see crates/sync).
--
-- sync_clock numbers local write transactions (Store::begin_write bumps
-- txn), so the capture triggers (made by store::sync_capture from the
-- tables' columns at every open) can group the rows one transaction wrote
-- into one operation. `applying` is 1 only inside the transaction that
-- applies the server's truth (a pulled page, or the rollback of a refused
-- operation): the capture triggers stay quiet then, and the guards below
-- let the server's truth in.
CREATE TABLE sync_clock (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    txn         INTEGER NOT NULL DEFAULT 0,
    applying    INTEGER NOT NULL DEFAULT 0 CHECK (applying IN (0, 1)),
    -- 1 while pulled pages have moved tenants, rooms or beds and the search
    -- index waits for the last page to be rebuilt.
    search_stale INTEGER NOT NULL DEFAULT 0 CHECK (search_stale IN (0, 1))
) STRICT;
INSERT INTO sync_clock (singleton) VALUES (1);

-- The desk's link to a server: where, which organisation, who signed in,
-- and the last sequence number pulled. The session token is never here:
-- it lives in the OS keyring.
CREATE TABLE sync_link (
    singleton       INTEGER PRIMARY KEY CHECK (singleton = 1),
    server_url      TEXT NOT NULL,
    org_id          TEXT NOT NULL,
    org_name        TEXT NOT NULL,
    user_email      TEXT NOT NULL,
    user_name       TEXT NOT NULL,
    user_role       TEXT NOT NULL,
    last_seq        INTEGER NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
    last_synced_at  TEXT,
    linked_at       TEXT NOT NULL
) STRICT;

-- Row changes waiting to be pushed, in the order they were written. The
-- rows of one transaction share txn; op_id is given when they are first
-- sent, so a retried push repeats the same operation.
CREATE TABLE sync_outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    txn         INTEGER NOT NULL,
    entity      TEXT NOT NULL,
    key         TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('upsert', 'delete')),
    old         TEXT,
    new         TEXT,
    op_id       TEXT
) STRICT;
CREATE INDEX sync_outbox_record ON sync_outbox (entity, key);
CREATE INDEX sync_outbox_op ON sync_outbox (op_id) WHERE op_id IS NOT NULL;

-- Operations the server refused, rolled back here, for the user to read.
CREATE TABLE sync_conflict (
    op_id       TEXT PRIMARY KEY,
    happened_at TEXT NOT NULL,
    message     TEXT NOT NULL,
    field       TEXT,
    rows        INTEGER NOT NULL,
    seen_at     TEXT
) STRICT;

-- The guards again, each quiet while the server's truth is applied.

DROP TRIGGER allocation_no_overlap_insert;
CREATE TRIGGER allocation_no_overlap_insert BEFORE INSERT ON allocation
WHEN (SELECT applying FROM sync_clock) = 0 AND (EXISTS (
    SELECT 1 FROM allocation a
    WHERE a.bed_id = NEW.bed_id
      AND a.move_in < COALESCE(NEW.move_out, '9999-12-31')
      AND NEW.move_in < COALESCE(a.move_out, '9999-12-31')
)
)
BEGIN
    SELECT RAISE(ABORT, 'allocation overlaps another allocation of the same bed');
END;

DROP TRIGGER allocation_no_overlap_update;
CREATE TRIGGER allocation_no_overlap_update BEFORE UPDATE OF bed_id, move_in, move_out ON allocation
WHEN (SELECT applying FROM sync_clock) = 0 AND (EXISTS (
    SELECT 1 FROM allocation a
    WHERE a.bed_id = NEW.bed_id
      AND a.id <> NEW.id
      AND a.move_in < COALESCE(NEW.move_out, '9999-12-31')
      AND NEW.move_in < COALESCE(a.move_out, '9999-12-31')
)
)
BEGIN
    SELECT RAISE(ABORT, 'allocation overlaps another allocation of the same bed');
END;

DROP TRIGGER invoice_fixed;
CREATE TRIGGER invoice_fixed BEFORE UPDATE OF id, number, series_prefix, fy_start, sequence,
    property_id, contract_id, tenant_id, month, invoice_date, due_on, title, gst_rule, gst_charge,
    gst_rate_bp, interstate, sac, place_of_supply, supplier_gstin, recipient_gstin,
    taxable_value_paise, cgst_paise, sgst_paise, igst_paise, tax_charged_paise,
    tax_reverse_charge_paise, round_off_paise, total_paise, amount_in_words, notes_json, desk_id,
    created_at ON invoice
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'an issued invoice cannot be changed; cancel it instead');
END;

DROP TRIGGER invoice_cancel_is_final;
CREATE TRIGGER invoice_cancel_is_final BEFORE UPDATE ON invoice
WHEN (SELECT applying FROM sync_clock) = 0 AND (OLD.status = 'cancelled'
)
BEGIN
    SELECT RAISE(ABORT, 'a cancelled invoice cannot be changed');
END;

DROP TRIGGER invoice_no_delete;
CREATE TRIGGER invoice_no_delete BEFORE DELETE ON invoice
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'invoices are kept; cancel one instead');
END;

DROP TRIGGER invoice_line_no_update;
CREATE TRIGGER invoice_line_no_update BEFORE UPDATE ON invoice_line
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'invoice lines cannot be changed');
END;

DROP TRIGGER invoice_line_no_delete;
CREATE TRIGGER invoice_line_no_delete BEFORE DELETE ON invoice_line
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'invoice lines cannot be changed');
END;

DROP TRIGGER payment_fixed;
CREATE TRIGGER payment_fixed BEFORE UPDATE OF id, receipt_number, tenant_id, mode, purpose,
    amount_paise, paid_on, recorded_at, utr, cheque_number, cheque_bank, desk_id, created_at ON payment
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'a recorded payment cannot be changed; reverse it instead');
END;

DROP TRIGGER payment_no_delete;
CREATE TRIGGER payment_no_delete BEFORE DELETE ON payment
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'payments are kept; reverse one instead');
END;

DROP TRIGGER ledger_entry_reversal_matches;
CREATE TRIGGER ledger_entry_reversal_matches BEFORE INSERT ON ledger_entry
WHEN (SELECT applying FROM sync_clock) = 0 AND (NEW.reverses IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM ledger_entry t
    WHERE t.id = NEW.reverses
      AND t.tenant_id = NEW.tenant_id
      AND t.book = NEW.book
      AND t.amount_paise = -NEW.amount_paise
      AND t.kind <> 'reversal'
)
)
BEGIN
    SELECT RAISE(ABORT, 'a reversal must undo exactly one earlier entry of the same account');
END;

DROP TRIGGER ledger_entry_no_update;
CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'ledger is append-only');
END;

DROP TRIGGER ledger_entry_no_delete;
CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON ledger_entry
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'ledger is append-only');
END;

DROP TRIGGER payment_allocation_no_update;
CREATE TRIGGER payment_allocation_no_update BEFORE UPDATE ON payment_allocation
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'ledger is append-only');
END;

DROP TRIGGER payment_allocation_no_delete;
CREATE TRIGGER payment_allocation_no_delete BEFORE DELETE ON payment_allocation
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'ledger is append-only');
END;

DROP TRIGGER document_contract_of_tenant_insert;
CREATE TRIGGER document_contract_of_tenant_insert BEFORE INSERT ON document
WHEN (SELECT applying FROM sync_clock) = 0 AND (NEW.contract_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM contract c JOIN allocation a ON a.id = c.allocation_id
    WHERE c.id = NEW.contract_id AND a.tenant_id = NEW.tenant_id
)
)
BEGIN
    SELECT RAISE(ABORT, 'document contract belongs to another tenant');
END;

DROP TRIGGER document_contract_of_tenant_update;
CREATE TRIGGER document_contract_of_tenant_update BEFORE UPDATE OF tenant_id, contract_id ON document
WHEN (SELECT applying FROM sync_clock) = 0 AND (NEW.contract_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM contract c JOIN allocation a ON a.id = c.allocation_id
    WHERE c.id = NEW.contract_id AND a.tenant_id = NEW.tenant_id
)
)
BEGIN
    SELECT RAISE(ABORT, 'document contract belongs to another tenant');
END;

DROP TRIGGER contract_charge_fixed;
CREATE TRIGGER contract_charge_fixed BEFORE UPDATE OF id, contract_id, kind, description,
    amount_paise, schedule, starts_on, prorate, desk_id, created_at ON contract_charge
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'a charge cannot be changed; end it and add a new one');
END;

DROP TRIGGER contract_charge_no_delete;
CREATE TRIGGER contract_charge_no_delete BEFORE DELETE ON contract_charge
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'charges are kept; end one instead');
END;

DROP TRIGGER contract_discount_fixed;
CREATE TRIGGER contract_discount_fixed BEFORE UPDATE OF id, contract_id, description,
    amount_paise, percent_bp, schedule, starts_on, desk_id, created_at ON contract_discount
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'a discount cannot be changed; end it and add a new one');
END;

DROP TRIGGER contract_discount_no_delete;
CREATE TRIGGER contract_discount_no_delete BEFORE DELETE ON contract_discount
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'discounts are kept; end one instead');
END;

DROP TRIGGER meter_reading_no_update;
CREATE TRIGGER meter_reading_no_update BEFORE UPDATE ON meter_reading
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'meter readings cannot be changed');
END;

DROP TRIGGER meter_reading_no_delete;
CREATE TRIGGER meter_reading_no_delete BEFORE DELETE ON meter_reading
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'meter readings cannot be changed');
END;

DROP TRIGGER electricity_share_no_update;
CREATE TRIGGER electricity_share_no_update BEFORE UPDATE ON electricity_share
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'billed shares cannot be changed');
END;

DROP TRIGGER electricity_share_no_delete;
CREATE TRIGGER electricity_share_no_delete BEFORE DELETE ON electricity_share
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'billed shares cannot be changed');
END;

DROP TRIGGER late_fee_charge_no_update;
CREATE TRIGGER late_fee_charge_no_update BEFORE UPDATE ON late_fee_charge
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'billed late fees cannot be changed');
END;

DROP TRIGGER late_fee_charge_no_delete;
CREATE TRIGGER late_fee_charge_no_delete BEFORE DELETE ON late_fee_charge
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'billed late fees cannot be changed');
END;

DROP TRIGGER deposit_settlement_no_update;
CREATE TRIGGER deposit_settlement_no_update BEFORE UPDATE ON deposit_settlement
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'a deposit settlement cannot be changed');
END;

DROP TRIGGER deposit_settlement_no_delete;
CREATE TRIGGER deposit_settlement_no_delete BEFORE DELETE ON deposit_settlement
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'a deposit settlement cannot be changed');
END;

DROP TRIGGER deposit_deduction_no_update;
CREATE TRIGGER deposit_deduction_no_update BEFORE UPDATE ON deposit_deduction
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'a deposit settlement cannot be changed');
END;

DROP TRIGGER deposit_deduction_no_delete;
CREATE TRIGGER deposit_deduction_no_delete BEFORE DELETE ON deposit_deduction
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'a deposit settlement cannot be changed');
END;

DROP TRIGGER deposit_settlement_entry_no_update;
CREATE TRIGGER deposit_settlement_entry_no_update BEFORE UPDATE ON deposit_settlement_entry
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'a deposit settlement cannot be changed');
END;

DROP TRIGGER deposit_settlement_entry_no_delete;
CREATE TRIGGER deposit_settlement_entry_no_delete BEFORE DELETE ON deposit_settlement_entry
WHEN (SELECT applying FROM sync_clock) = 0
BEGIN
    SELECT RAISE(ABORT, 'a deposit settlement cannot be changed');
END;
