-- Billing: invoices and their lines, invoice and receipt series, payments,
-- their allocation to invoices, and the append-only ledger.
-- Dates are ISO 'YYYY-MM-DD' text; instants RFC 3339; money integer paise
-- (signed in the ledger: positive, the tenant owes more); ids UUIDv7 text.

-- GST setting of a property: the kind of let (residential unless set) and
-- the rate charged when a let is taxable.
ALTER TABLE property ADD COLUMN gst_category TEXT NOT NULL DEFAULT 'residential'
    CHECK (gst_category IN ('residential', 'pg_hostel', 'commercial'));
ALTER TABLE property ADD COLUMN gst_rate_bp INTEGER NOT NULL DEFAULT 1800
    CHECK (gst_rate_bp BETWEEN 0 AND 10000);

-- One invoice series per property and desk: the prefix (property code and
-- the desk's suffix) and where it stands (financial year, last sequence).
-- Prefixes are unique so no two series can write the same number.
CREATE TABLE invoice_series (
    property_id     TEXT NOT NULL REFERENCES property (id),
    desk_id         TEXT NOT NULL,
    desk_suffix     TEXT,
    prefix          TEXT NOT NULL UNIQUE,
    last_fy_start   INTEGER,
    last_sequence   INTEGER NOT NULL DEFAULT 0 CHECK (last_sequence >= 0),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (property_id, desk_id),
    CHECK ((last_fy_start IS NULL) = (last_sequence = 0))
) STRICT;

-- The desk's receipt series, numbered like invoices.
CREATE TABLE receipt_series (
    desk_id         TEXT PRIMARY KEY,
    prefix          TEXT NOT NULL UNIQUE,
    last_fy_start   INTEGER,
    last_sequence   INTEGER NOT NULL DEFAULT 0 CHECK (last_sequence >= 0),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK ((last_fy_start IS NULL) = (last_sequence = 0))
) STRICT;

-- An issued invoice. Its amounts never change; it can only be cancelled
-- (and its charge reversed in the ledger). One standing invoice per
-- contract and month; a cancelled one may be billed again.
CREATE TABLE invoice (
    id                          TEXT PRIMARY KEY,
    number                      TEXT NOT NULL UNIQUE CHECK (length(number) BETWEEN 1 AND 16),
    series_prefix               TEXT NOT NULL,
    fy_start                    INTEGER NOT NULL,
    sequence                    INTEGER NOT NULL CHECK (sequence >= 1),
    property_id                 TEXT NOT NULL REFERENCES property (id),
    contract_id                 TEXT NOT NULL REFERENCES contract (id),
    tenant_id                   TEXT NOT NULL REFERENCES tenant (id),
    month                       TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    invoice_date                TEXT NOT NULL,
    due_on                      TEXT NOT NULL,
    title                       TEXT NOT NULL,
    gst_rule                    TEXT NOT NULL,
    gst_charge                  TEXT NOT NULL CHECK (gst_charge IN ('none', 'forward', 'reverse')),
    gst_rate_bp                 INTEGER NOT NULL CHECK (gst_rate_bp >= 0),
    interstate                  INTEGER NOT NULL CHECK (interstate IN (0, 1)),
    sac                         TEXT NOT NULL,
    place_of_supply             INTEGER NOT NULL,
    supplier_gstin              TEXT,
    recipient_gstin             TEXT,
    taxable_value_paise         INTEGER NOT NULL,
    cgst_paise                  INTEGER NOT NULL,
    sgst_paise                  INTEGER NOT NULL,
    igst_paise                  INTEGER NOT NULL,
    tax_charged_paise           INTEGER NOT NULL,
    tax_reverse_charge_paise    INTEGER NOT NULL,
    round_off_paise             INTEGER NOT NULL,
    total_paise                 INTEGER NOT NULL CHECK (total_paise >= 0),
    amount_in_words             TEXT NOT NULL,
    notes_json                  TEXT NOT NULL,
    status                      TEXT NOT NULL CHECK (status IN ('issued', 'cancelled')),
    cancelled_on                TEXT,
    cancel_reason               TEXT,
    desk_id                     TEXT NOT NULL,
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL,
    UNIQUE (series_prefix, fy_start, sequence),
    CHECK ((status = 'cancelled') = (cancelled_on IS NOT NULL))
) STRICT;

CREATE UNIQUE INDEX invoice_one_per_contract_month ON invoice (contract_id, month)
    WHERE status = 'issued';
CREATE INDEX invoice_property_month ON invoice (property_id, month);
CREATE INDEX invoice_tenant ON invoice (tenant_id, invoice_date);

-- Only the status moves, and only from issued to cancelled.
CREATE TRIGGER invoice_fixed BEFORE UPDATE OF id, number, series_prefix, fy_start, sequence,
    property_id, contract_id, tenant_id, month, invoice_date, due_on, title, gst_rule, gst_charge,
    gst_rate_bp, interstate, sac, place_of_supply, supplier_gstin, recipient_gstin,
    taxable_value_paise, cgst_paise, sgst_paise, igst_paise, tax_charged_paise,
    tax_reverse_charge_paise, round_off_paise, total_paise, amount_in_words, notes_json, desk_id,
    created_at ON invoice
BEGIN
    SELECT RAISE(ABORT, 'an issued invoice cannot be changed; cancel it instead');
END;

CREATE TRIGGER invoice_cancel_is_final BEFORE UPDATE ON invoice
WHEN OLD.status = 'cancelled'
BEGIN
    SELECT RAISE(ABORT, 'a cancelled invoice cannot be changed');
END;

CREATE TRIGGER invoice_no_delete BEFORE DELETE ON invoice
BEGIN
    SELECT RAISE(ABORT, 'invoices are kept; cancel one instead');
END;

CREATE TABLE invoice_line (
    invoice_id          TEXT NOT NULL REFERENCES invoice (id),
    position            INTEGER NOT NULL CHECK (position >= 1),
    kind                TEXT NOT NULL,
    description         TEXT NOT NULL,
    sac                 TEXT NOT NULL,
    taxable_value_paise INTEGER NOT NULL,
    cgst_paise          INTEGER NOT NULL,
    sgst_paise          INTEGER NOT NULL,
    igst_paise          INTEGER NOT NULL,
    total_paise         INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, position)
) STRICT;

CREATE TRIGGER invoice_line_no_update BEFORE UPDATE ON invoice_line
BEGIN
    SELECT RAISE(ABORT, 'invoice lines cannot be changed');
END;

CREATE TRIGGER invoice_line_no_delete BEFORE DELETE ON invoice_line
BEGIN
    SELECT RAISE(ABORT, 'invoice lines cannot be changed');
END;

-- Money received. paid_on is the day it was paid (for a cheque, the date on
-- it); recorded_at the instant the desk booked it. The UTR is kept
-- normalised; the cheque's state moves pending -> cleared/bounced.
CREATE TABLE payment (
    id                  TEXT PRIMARY KEY,
    receipt_number      TEXT NOT NULL UNIQUE CHECK (length(receipt_number) BETWEEN 1 AND 16),
    tenant_id           TEXT NOT NULL REFERENCES tenant (id),
    mode                TEXT NOT NULL CHECK (mode IN ('upi', 'cash', 'bank_transfer', 'cheque')),
    purpose             TEXT NOT NULL CHECK (purpose IN ('dues', 'security_deposit')),
    amount_paise        INTEGER NOT NULL CHECK (amount_paise > 0),
    paid_on             TEXT NOT NULL,
    recorded_at         TEXT NOT NULL,
    utr                 TEXT CHECK (utr IS NULL OR (length(utr) BETWEEN 6 AND 35 AND utr = upper(utr))),
    cheque_number       TEXT,
    cheque_bank         TEXT,
    cheque_state        TEXT CHECK (cheque_state IN ('pending', 'cleared', 'bounced')),
    cheque_state_on     TEXT,
    note                TEXT,
    reversed_on         TEXT,
    reverse_reason      TEXT,
    desk_id             TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK ((mode IN ('upi', 'bank_transfer')) = (utr IS NOT NULL)),
    CHECK ((mode = 'cheque') = (cheque_number IS NOT NULL AND cheque_state IS NOT NULL))
) STRICT;

-- One transfer is booked once in the organisation (a desk holds one
-- organisation). A payment reversed as booked in error frees its UTR so
-- it can be booked right.
CREATE UNIQUE INDEX payment_utr_once ON payment (upper(replace(replace(utr, ' ', ''), '-', '')))
    WHERE utr IS NOT NULL AND reversed_on IS NULL;
CREATE INDEX payment_tenant ON payment (tenant_id, paid_on);

CREATE TRIGGER payment_fixed BEFORE UPDATE OF id, receipt_number, tenant_id, mode, purpose,
    amount_paise, paid_on, recorded_at, utr, cheque_number, cheque_bank, desk_id, created_at ON payment
BEGIN
    SELECT RAISE(ABORT, 'a recorded payment cannot be changed; reverse it instead');
END;

CREATE TRIGGER payment_no_delete BEFORE DELETE ON payment
BEGIN
    SELECT RAISE(ABORT, 'payments are kept; reverse one instead');
END;

-- The ledger: append-only entries per tenant account. seq is the order
-- of appending, which the rules replay.
CREATE TABLE ledger_entry (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    tenant_id       TEXT NOT NULL REFERENCES tenant (id),
    kind            TEXT NOT NULL CHECK (kind IN ('charge', 'payment', 'deposit_held',
                        'deposit_refunded', 'adjustment', 'reversal')),
    book            TEXT NOT NULL CHECK (book IN ('dues', 'deposit')),
    amount_paise    INTEGER NOT NULL CHECK (amount_paise <> 0),
    posted_on       TEXT NOT NULL,
    due_on          TEXT,
    invoice_id      TEXT REFERENCES invoice (id),
    payment_id      TEXT REFERENCES payment (id),
    reverses        TEXT UNIQUE REFERENCES ledger_entry (id),
    memo            TEXT NOT NULL,
    desk_id         TEXT NOT NULL,
    recorded_at     TEXT NOT NULL,
    CHECK ((kind = 'reversal') = (reverses IS NOT NULL)),
    CHECK (kind <> 'charge' OR (amount_paise > 0 AND due_on IS NOT NULL AND book = 'dues')),
    CHECK (kind <> 'payment' OR (amount_paise < 0 AND book = 'dues')),
    CHECK (kind <> 'deposit_held' OR (amount_paise < 0 AND book = 'deposit')),
    CHECK (kind <> 'deposit_refunded' OR (amount_paise > 0 AND book = 'deposit'))
) STRICT;

CREATE INDEX ledger_entry_tenant ON ledger_entry (tenant_id, seq);
CREATE INDEX ledger_entry_invoice ON ledger_entry (invoice_id) WHERE invoice_id IS NOT NULL;
CREATE INDEX ledger_entry_payment ON ledger_entry (payment_id) WHERE payment_id IS NOT NULL;

-- A reversal undoes exactly one earlier entry of the same account, with
-- the opposite amount in the same book, and is never itself reversed.
CREATE TRIGGER ledger_entry_reversal_matches BEFORE INSERT ON ledger_entry
WHEN NEW.reverses IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM ledger_entry t
    WHERE t.id = NEW.reverses
      AND t.tenant_id = NEW.tenant_id
      AND t.book = NEW.book
      AND t.amount_paise = -NEW.amount_paise
      AND t.kind <> 'reversal'
)
BEGIN
    SELECT RAISE(ABORT, 'a reversal must undo exactly one earlier entry of the same account');
END;

CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry
BEGIN
    SELECT RAISE(ABORT, 'ledger is append-only');
END;

CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON ledger_entry
BEGIN
    SELECT RAISE(ABORT, 'ledger is append-only');
END;

-- How a payment entry was applied to charges when it was recorded.
CREATE TABLE payment_allocation (
    entry_id        TEXT NOT NULL REFERENCES ledger_entry (id),
    item_entry_id   TEXT NOT NULL REFERENCES ledger_entry (id),
    payment_id      TEXT NOT NULL REFERENCES payment (id),
    invoice_id      TEXT REFERENCES invoice (id),
    amount_paise    INTEGER NOT NULL CHECK (amount_paise > 0),
    PRIMARY KEY (entry_id, item_entry_id)
) STRICT;

CREATE INDEX payment_allocation_item ON payment_allocation (item_entry_id);

CREATE TRIGGER payment_allocation_no_update BEFORE UPDATE ON payment_allocation
BEGIN
    SELECT RAISE(ABORT, 'ledger is append-only');
END;

CREATE TRIGGER payment_allocation_no_delete BEFORE DELETE ON payment_allocation
BEGIN
    SELECT RAISE(ABORT, 'ledger is append-only');
END;
