-- Properties, rooms, beds, tenants, allocations and contracts.
-- Dates are ISO 'YYYY-MM-DD' text (they sort and compare as dates); money is
-- integer paise; ids are UUIDv7 text made on the desk.

CREATE TABLE property (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    address_line1   TEXT NOT NULL,
    address_line2   TEXT,
    city            TEXT NOT NULL,
    state           TEXT NOT NULL,
    state_code      INTEGER NOT NULL,
    pin_code        TEXT NOT NULL CHECK (length(pin_code) = 6),
    gstin           TEXT,
    code            TEXT NOT NULL UNIQUE,
    upi_id          TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

CREATE TABLE room (
    id                  TEXT PRIMARY KEY,
    property_id         TEXT NOT NULL REFERENCES property (id),
    floor               INTEGER NOT NULL,
    number              TEXT NOT NULL,
    room_type           TEXT NOT NULL,
    sharing             INTEGER NOT NULL CHECK (sharing BETWEEN 1 AND 6),
    ac                  INTEGER NOT NULL CHECK (ac IN (0, 1)),
    rent_per_bed_paise  INTEGER NOT NULL CHECK (rent_per_bed_paise >= 0),
    retired_on          TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    UNIQUE (property_id, number)
) STRICT;

CREATE TABLE bed (
    id          TEXT PRIMARY KEY,
    room_id     TEXT NOT NULL REFERENCES room (id),
    label       TEXT NOT NULL,
    retired_on  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (room_id, label)
) STRICT;

CREATE INDEX bed_room ON bed (room_id);

CREATE TABLE tenant (
    id                      TEXT PRIMARY KEY,
    full_name               TEXT NOT NULL,
    mobile                  TEXT NOT NULL,
    email                   TEXT,
    date_of_birth           TEXT,
    permanent_address       TEXT,
    emergency_name          TEXT,
    emergency_phone         TEXT,
    occupation              TEXT,
    college_or_employer     TEXT,
    -- KYC. An Aadhaar number is never stored, only its masked form
    -- (XXXX XXXX 1234); other documents keep their number.
    kyc_document            TEXT,
    kyc_number              TEXT,
    kyc_masked              TEXT,
    police_verification     TEXT NOT NULL DEFAULT 'pending',
    police_verified_on      TEXT,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    CHECK (kyc_document IS NOT 'aadhaar' OR kyc_number IS NULL)
) STRICT;

CREATE INDEX tenant_mobile ON tenant (mobile);

-- A tenant on a bed over [move_in, move_out): move_out is the first day the
-- bed is free again; NULL means open-ended.
CREATE TABLE allocation (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenant (id),
    bed_id          TEXT NOT NULL REFERENCES bed (id),
    move_in         TEXT NOT NULL,
    move_out        TEXT,
    notice_on       TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (move_out IS NULL OR move_out > move_in),
    CHECK (notice_on IS NULL OR notice_on >= move_in)
) STRICT;

CREATE INDEX allocation_bed ON allocation (bed_id, move_in);
CREATE INDEX allocation_tenant ON allocation (tenant_id);

-- The second wall: whatever code path writes, two allocations of one bed
-- never overlap.
CREATE TRIGGER allocation_no_overlap_insert BEFORE INSERT ON allocation
WHEN EXISTS (
    SELECT 1 FROM allocation a
    WHERE a.bed_id = NEW.bed_id
      AND a.move_in < COALESCE(NEW.move_out, '9999-12-31')
      AND NEW.move_in < COALESCE(a.move_out, '9999-12-31')
)
BEGIN
    SELECT RAISE(ABORT, 'allocation overlaps another allocation of the same bed');
END;

CREATE TRIGGER allocation_no_overlap_update BEFORE UPDATE OF bed_id, move_in, move_out ON allocation
WHEN EXISTS (
    SELECT 1 FROM allocation a
    WHERE a.bed_id = NEW.bed_id
      AND a.id <> NEW.id
      AND a.move_in < COALESCE(NEW.move_out, '9999-12-31')
      AND NEW.move_in < COALESCE(a.move_out, '9999-12-31')
)
BEGIN
    SELECT RAISE(ABORT, 'allocation overlaps another allocation of the same bed');
END;

CREATE TABLE contract (
    id                      TEXT PRIMARY KEY,
    allocation_id           TEXT NOT NULL UNIQUE REFERENCES allocation (id),
    monthly_rent_paise      INTEGER NOT NULL CHECK (monthly_rent_paise >= 0),
    deposit_paise           INTEGER NOT NULL CHECK (deposit_paise >= 0),
    billing_day             INTEGER NOT NULL CHECK (billing_day BETWEEN 1 AND 28),
    lock_in_months          INTEGER NOT NULL CHECK (lock_in_months >= 0),
    notice_days             INTEGER NOT NULL CHECK (notice_days >= 0),
    escalation_bp           INTEGER NOT NULL CHECK (escalation_bp >= 0),
    starts_on               TEXT NOT NULL,
    ends_on                 TEXT,
    status                  TEXT NOT NULL CHECK (status IN ('draft', 'active', 'ended')),
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
) STRICT;

-- Search as you type over name, phone, room and bed: a trigram index finds any
-- part of three characters or more; shorter queries use prefix LIKE.
CREATE VIRTUAL TABLE tenant_search USING fts5 (
    tenant_id UNINDEXED,
    full_name,
    mobile,
    room,
    bed,
    tokenize = 'trigram'
);
