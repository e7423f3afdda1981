-- Charges besides rent, discounts, room meter readings, the property's late
-- fee rule, and the security deposit settled at move-out.
-- Dates are ISO 'YYYY-MM-DD' text; money integer paise; meter readings
-- integer hundredths of a unit (kWh); ids UUIDv7 text.

-- A contract's charge: every month over [starts_on, ends_on) (ends_on NULL
-- while ongoing), or once on starts_on. Written once; a monthly charge may
-- only be ended later (ends_on set), so invoices already issued still match.
CREATE TABLE contract_charge (
    id              TEXT PRIMARY KEY,
    contract_id     TEXT NOT NULL REFERENCES contract (id),
    kind            TEXT NOT NULL CHECK (kind IN ('food', 'laundry', 'parking', 'housekeeping',
                        'maintenance', 'electricity', 'late_fee', 'other')),
    description     TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 120),
    amount_paise    INTEGER NOT NULL CHECK (amount_paise > 0),
    schedule        TEXT NOT NULL CHECK (schedule IN ('monthly', 'once')),
    starts_on       TEXT NOT NULL,
    ends_on         TEXT,
    prorate         INTEGER NOT NULL CHECK (prorate IN (0, 1)),
    desk_id         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (schedule = 'monthly' OR ends_on IS NULL),
    CHECK (ends_on IS NULL OR ends_on > starts_on)
) STRICT;

CREATE INDEX contract_charge_contract ON contract_charge (contract_id);

CREATE TRIGGER contract_charge_fixed BEFORE UPDATE OF id, contract_id, kind, description,
    amount_paise, schedule, starts_on, prorate, desk_id, created_at ON contract_charge
BEGIN
    SELECT RAISE(ABORT, 'a charge cannot be changed; end it and add a new one');
END;

CREATE TRIGGER contract_charge_no_delete BEFORE DELETE ON contract_charge
BEGIN
    SELECT RAISE(ABORT, 'charges are kept; end one instead');
END;

-- A contract's discount: a flat amount or a percent of the rent (exactly
-- one of them), monthly or once, like a charge.
CREATE TABLE contract_discount (
    id              TEXT PRIMARY KEY,
    contract_id     TEXT NOT NULL REFERENCES contract (id),
    description     TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 120),
    amount_paise    INTEGER CHECK (amount_paise > 0),
    percent_bp      INTEGER CHECK (percent_bp BETWEEN 1 AND 10000),
    schedule        TEXT NOT NULL CHECK (schedule IN ('monthly', 'once')),
    starts_on       TEXT NOT NULL,
    ends_on         TEXT,
    desk_id         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK ((amount_paise IS NULL) <> (percent_bp IS NULL)),
    CHECK (schedule = 'monthly' OR ends_on IS NULL),
    CHECK (ends_on IS NULL OR ends_on > starts_on)
) STRICT;

CREATE INDEX contract_discount_contract ON contract_discount (contract_id);

CREATE TRIGGER contract_discount_fixed BEFORE UPDATE OF id, contract_id, description,
    amount_paise, percent_bp, schedule, starts_on, desk_id, created_at ON contract_discount
BEGIN
    SELECT RAISE(ABORT, 'a discount cannot be changed; end it and add a new one');
END;

CREATE TRIGGER contract_discount_no_delete BEFORE DELETE ON contract_discount
BEGIN
    SELECT RAISE(ABORT, 'discounts are kept; end one instead');
END;

-- A room's sub-meter read for a billing month: consumption over
-- [previous_on, reading_on) at the rate per unit agreed. The split among
-- the room's occupants is the domain's, done when the month is billed.
CREATE TABLE meter_reading (
    id                  TEXT PRIMARY KEY,
    room_id             TEXT NOT NULL REFERENCES room (id),
    month               TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    previous_on         TEXT NOT NULL,
    previous_units      INTEGER NOT NULL CHECK (previous_units >= 0),
    reading_on          TEXT NOT NULL,
    reading_units       INTEGER NOT NULL CHECK (reading_units <= 9999999999),
    units               INTEGER NOT NULL,
    rate_per_unit_paise INTEGER NOT NULL CHECK (rate_per_unit_paise BETWEEN 0 AND 10000),
    amount_paise        INTEGER NOT NULL CHECK (amount_paise >= 0),
    desk_id             TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    UNIQUE (room_id, month),
    CHECK (reading_on > previous_on),
    CHECK (reading_units >= previous_units),
    CHECK (units = reading_units - previous_units)
) STRICT;

CREATE INDEX meter_reading_room ON meter_reading (room_id, reading_on);

CREATE TRIGGER meter_reading_no_update BEFORE UPDATE ON meter_reading
BEGIN
    SELECT RAISE(ABORT, 'meter readings cannot be changed');
END;

CREATE TRIGGER meter_reading_no_delete BEFORE DELETE ON meter_reading
BEGIN
    SELECT RAISE(ABORT, 'meter readings cannot be changed');
END;

-- An occupant's share of a reading, as billed on an invoice. A share whose
-- invoice was cancelled is billed again.
CREATE TABLE electricity_share (
    meter_reading_id    TEXT NOT NULL REFERENCES meter_reading (id),
    contract_id         TEXT NOT NULL REFERENCES contract (id),
    invoice_id          TEXT NOT NULL REFERENCES invoice (id),
    nights              INTEGER NOT NULL CHECK (nights > 0),
    room_nights         INTEGER NOT NULL CHECK (room_nights >= nights),
    amount_paise        INTEGER NOT NULL CHECK (amount_paise >= 0),
    PRIMARY KEY (meter_reading_id, contract_id, invoice_id)
) STRICT;

CREATE INDEX electricity_share_invoice ON electricity_share (invoice_id);

CREATE TRIGGER electricity_share_no_update BEFORE UPDATE ON electricity_share
BEGIN
    SELECT RAISE(ABORT, 'billed shares cannot be changed');
END;

CREATE TRIGGER electricity_share_no_delete BEFORE DELETE ON electricity_share
BEGIN
    SELECT RAISE(ABORT, 'billed shares cannot be changed');
END;

-- A property's late fee rule. No row, or enabled = 0, charges none.
CREATE TABLE late_fee_rule (
    property_id     TEXT PRIMARY KEY REFERENCES property (id),
    enabled         INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    kind            TEXT CHECK (kind IN ('flat', 'percent')),
    flat_paise      INTEGER CHECK (flat_paise > 0),
    percent_bp      INTEGER CHECK (percent_bp BETWEEN 1 AND 2500),
    after_days      INTEGER CHECK (after_days BETWEEN 0 AND 365),
    cap_paise       INTEGER CHECK (cap_paise > 0),
    updated_at      TEXT NOT NULL,
    CHECK (enabled = 0 OR (kind IS NOT NULL AND after_days IS NOT NULL)),
    CHECK (enabled = 1 OR (kind IS NULL AND flat_paise IS NULL AND percent_bp IS NULL
        AND after_days IS NULL AND cap_paise IS NULL)),
    CHECK (kind IS NOT 'flat' OR (flat_paise IS NOT NULL AND percent_bp IS NULL)),
    CHECK (kind IS NOT 'percent' OR (percent_bp IS NOT NULL AND flat_paise IS NULL))
) STRICT;

-- A late fee billed on an invoice for an overdue charge: one per overdue
-- charge while the invoice that carries it stands.
CREATE TABLE late_fee_charge (
    item_entry_id       TEXT NOT NULL REFERENCES ledger_entry (id),
    invoice_id          TEXT NOT NULL REFERENCES invoice (id),
    overdue_invoice_id  TEXT REFERENCES invoice (id),
    amount_paise        INTEGER NOT NULL CHECK (amount_paise > 0),
    PRIMARY KEY (item_entry_id, invoice_id)
) STRICT;

CREATE INDEX late_fee_charge_invoice ON late_fee_charge (invoice_id);

CREATE TRIGGER late_fee_charge_no_update BEFORE UPDATE ON late_fee_charge
BEGIN
    SELECT RAISE(ABORT, 'billed late fees cannot be changed');
END;

CREATE TRIGGER late_fee_charge_no_delete BEFORE DELETE ON late_fee_charge
BEGIN
    SELECT RAISE(ABORT, 'billed late fees cannot be changed');
END;

-- The security deposit settled at move-out, once per contract: what was
-- held, the dues then, each deduction, and who owes whom. The ledger
-- entries that carried it out are listed in deposit_settlement_entry.
CREATE TABLE deposit_settlement (
    id                      TEXT PRIMARY KEY,
    contract_id             TEXT NOT NULL UNIQUE REFERENCES contract (id),
    tenant_id               TEXT NOT NULL REFERENCES tenant (id),
    settled_on              TEXT NOT NULL,
    deposit_held_paise      INTEGER NOT NULL CHECK (deposit_held_paise >= 0),
    dues_paise              INTEGER NOT NULL,
    credit_paise            INTEGER NOT NULL CHECK (credit_paise >= 0),
    total_deductions_paise  INTEGER NOT NULL CHECK (total_deductions_paise >= 0),
    outcome                 TEXT NOT NULL CHECK (outcome IN ('refund_to_tenant', 'tenant_owes', 'settled')),
    outcome_paise           INTEGER NOT NULL CHECK (outcome_paise >= 0),
    statement               TEXT NOT NULL,
    desk_id                 TEXT NOT NULL,
    created_at              TEXT NOT NULL,
    CHECK ((outcome = 'settled') = (outcome_paise = 0))
) STRICT;

CREATE TABLE deposit_deduction (
    settlement_id   TEXT NOT NULL REFERENCES deposit_settlement (id),
    position        INTEGER NOT NULL CHECK (position >= 1),
    kind            TEXT NOT NULL CHECK (kind IN ('damage', 'unpaid_dues', 'notice_shortfall')),
    description     TEXT NOT NULL,
    amount_paise    INTEGER NOT NULL CHECK (amount_paise > 0),
    PRIMARY KEY (settlement_id, position)
) STRICT;

CREATE TABLE deposit_settlement_entry (
    settlement_id   TEXT NOT NULL REFERENCES deposit_settlement (id),
    entry_id        TEXT NOT NULL UNIQUE REFERENCES ledger_entry (id),
    PRIMARY KEY (settlement_id, entry_id)
) STRICT;

CREATE TRIGGER deposit_settlement_no_update BEFORE UPDATE ON deposit_settlement
BEGIN
    SELECT RAISE(ABORT, 'a deposit settlement cannot be changed');
END;

CREATE TRIGGER deposit_settlement_no_delete BEFORE DELETE ON deposit_settlement
BEGIN
    SELECT RAISE(ABORT, 'a deposit settlement cannot be changed');
END;

CREATE TRIGGER deposit_deduction_no_update BEFORE UPDATE ON deposit_deduction
BEGIN
    SELECT RAISE(ABORT, 'a deposit settlement cannot be changed');
END;

CREATE TRIGGER deposit_deduction_no_delete BEFORE DELETE ON deposit_deduction
BEGIN
    SELECT RAISE(ABORT, 'a deposit settlement cannot be changed');
END;

CREATE TRIGGER deposit_settlement_entry_no_update BEFORE UPDATE ON deposit_settlement_entry
BEGIN
    SELECT RAISE(ABORT, 'a deposit settlement cannot be changed');
END;

CREATE TRIGGER deposit_settlement_entry_no_delete BEFORE DELETE ON deposit_settlement_entry
BEGIN
    SELECT RAISE(ABORT, 'a deposit settlement cannot be changed');
END;
