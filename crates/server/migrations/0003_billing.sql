-- Billing on the server: contracts, number series, invoices and their
-- lines, payments, their allocation to invoices, and the append-only
-- ledger. The shape follows the desktop store (crates/store/migrations/
-- 0004_billing.sql); every rule that decides amounts lives in
-- multipms-domain.
--
-- Money is integer paise (bigint). In the ledger it is signed from the
-- business's side: positive, the tenant owes more (a charge, a refund paid
-- out); negative, less (a payment, a deposit received). A tenant's balance
-- is the sum of their entries.
--
-- Every table carries org_id, with FORCEd row-level security like the
-- tables of 0001. Invoices, payments and ledger entries are never deleted;
-- a ledger entry is never changed: a wrong one is undone by a reversal.

-- GST setting of a property: the kind of let (residential unless set) and
-- the rate charged when a let is taxable.
ALTER TABLE property ADD COLUMN gst_category text NOT NULL DEFAULT 'residential'
    CHECK (gst_category IN ('residential', 'pg_hostel', 'commercial'));
ALTER TABLE property ADD COLUMN gst_rate_bp integer NOT NULL DEFAULT 1800
    CHECK (gst_rate_bp BETWEEN 0 AND 10000);

-- The terms of a stay (one contract per allocation).
CREATE TABLE contract (
    id                  uuid PRIMARY KEY,
    org_id              uuid NOT NULL,
    property_id         uuid NOT NULL,
    tenant_id           uuid NOT NULL,
    allocation_id       uuid NOT NULL UNIQUE,
    monthly_rent_paise  bigint NOT NULL CHECK (monthly_rent_paise >= 0),
    deposit_paise       bigint NOT NULL CHECK (deposit_paise >= 0),
    billing_day         smallint NOT NULL CHECK (billing_day BETWEEN 1 AND 28),
    lock_in_months      smallint NOT NULL CHECK (lock_in_months >= 0),
    notice_days         smallint NOT NULL CHECK (notice_days >= 0),
    escalation_bp       integer NOT NULL CHECK (escalation_bp >= 0),
    starts_on           date NOT NULL,
    ends_on             date,
    status              text NOT NULL CHECK (status IN ('draft', 'active', 'ended')),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, property_id) REFERENCES property (org_id, id),
    FOREIGN KEY (org_id, tenant_id) REFERENCES tenant (org_id, id),
    FOREIGN KEY (org_id, allocation_id) REFERENCES allocation (org_id, id),
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX contract_tenant ON contract (org_id, tenant_id, starts_on);
CREATE INDEX contract_property ON contract (org_id, property_id, starts_on);

-- Where each number series stands: invoices per property code, receipts
-- in the server's own series. Numbers restart each financial year.
CREATE TABLE number_series (
    org_id          uuid NOT NULL REFERENCES organisation (id),
    kind            text NOT NULL CHECK (kind IN ('invoice', 'receipt')),
    prefix          text NOT NULL,
    last_fy_start   integer,
    last_sequence   integer NOT NULL DEFAULT 0 CHECK (last_sequence >= 0),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, kind, prefix),
    CHECK ((last_fy_start IS NULL) = (last_sequence = 0))
);

-- An issued invoice. Its amounts never change; it can only be cancelled.
-- One standing invoice per contract and month.
CREATE TABLE invoice (
    id                          uuid PRIMARY KEY,
    org_id                      uuid NOT NULL,
    number                      text NOT NULL CHECK (length(number) BETWEEN 1 AND 16),
    series_prefix               text NOT NULL,
    fy_start                    integer NOT NULL,
    sequence                    integer NOT NULL CHECK (sequence >= 1),
    property_id                 uuid NOT NULL,
    contract_id                 uuid NOT NULL,
    tenant_id                   uuid NOT NULL,
    month                       text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    invoice_date                date NOT NULL,
    due_on                      date NOT NULL,
    title                       text NOT NULL,
    gst_rule                    text NOT NULL,
    gst_charge                  text NOT NULL CHECK (gst_charge IN ('none', 'forward', 'reverse')),
    gst_rate_bp                 integer NOT NULL CHECK (gst_rate_bp >= 0),
    interstate                  boolean NOT NULL,
    sac                         text NOT NULL,
    place_of_supply             smallint NOT NULL,
    supplier_gstin              text,
    recipient_gstin             text,
    taxable_value_paise         bigint NOT NULL,
    cgst_paise                  bigint NOT NULL,
    sgst_paise                  bigint NOT NULL,
    igst_paise                  bigint NOT NULL,
    tax_charged_paise           bigint NOT NULL,
    tax_reverse_charge_paise    bigint NOT NULL,
    round_off_paise             bigint NOT NULL,
    total_paise                 bigint NOT NULL CHECK (total_paise >= 0),
    amount_in_words             text NOT NULL,
    notes                       jsonb NOT NULL DEFAULT '[]',
    status                      text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'cancelled')),
    cancelled_on                date,
    cancel_reason               text,
    user_id                     uuid,
    desk_id                     text,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id),
    UNIQUE (org_id, number),
    UNIQUE (org_id, series_prefix, fy_start, sequence),
    FOREIGN KEY (org_id, property_id) REFERENCES property (org_id, id),
    FOREIGN KEY (org_id, contract_id) REFERENCES contract (org_id, id),
    FOREIGN KEY (org_id, tenant_id) REFERENCES tenant (org_id, id),
    CHECK ((status = 'cancelled') = (cancelled_on IS NOT NULL))
);
CREATE UNIQUE INDEX invoice_one_per_contract_month ON invoice (org_id, contract_id, month)
    WHERE status = 'issued';
CREATE INDEX invoice_org_list ON invoice (org_id, invoice_date DESC, id);
CREATE INDEX invoice_property_month ON invoice (org_id, property_id, month);
CREATE INDEX invoice_tenant ON invoice (org_id, tenant_id, invoice_date DESC);

-- Only the status moves, once, from issued to cancelled.
CREATE FUNCTION invoice_is_fixed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'invoices are kept; cancel one instead';
    END IF;
    IF OLD.status = 'cancelled' THEN
        RAISE EXCEPTION 'a cancelled invoice cannot be changed';
    END IF;
    IF (to_jsonb(NEW) - ARRAY['status', 'cancelled_on', 'cancel_reason'])
        IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['status', 'cancelled_on', 'cancel_reason']) THEN
        RAISE EXCEPTION 'an issued invoice cannot be changed; cancel it instead';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER invoice_fixed BEFORE UPDATE OR DELETE ON invoice
    FOR EACH ROW EXECUTE FUNCTION invoice_is_fixed();

CREATE TABLE invoice_line (
    org_id              uuid NOT NULL,
    invoice_id          uuid NOT NULL,
    position            smallint NOT NULL CHECK (position >= 1),
    kind                text NOT NULL,
    description         text NOT NULL,
    sac                 text NOT NULL,
    taxable_value_paise bigint NOT NULL,
    cgst_paise          bigint NOT NULL,
    sgst_paise          bigint NOT NULL,
    igst_paise          bigint NOT NULL,
    total_paise         bigint NOT NULL,
    PRIMARY KEY (invoice_id, position),
    FOREIGN KEY (org_id, invoice_id) REFERENCES invoice (org_id, id)
);

-- Money received. paid_on is the day it was paid (for a cheque, the date on
-- it); recorded_at when it was booked. The UTR is kept normalised.
CREATE TABLE payment (
    id                  uuid PRIMARY KEY,
    org_id              uuid NOT NULL,
    receipt_number      text NOT NULL CHECK (length(receipt_number) BETWEEN 1 AND 16),
    tenant_id           uuid NOT NULL,
    mode                text NOT NULL CHECK (mode IN ('upi', 'cash', 'bank_transfer', 'cheque')),
    purpose             text NOT NULL CHECK (purpose IN ('dues', 'security_deposit')),
    amount_paise        bigint NOT NULL CHECK (amount_paise > 0),
    paid_on             date NOT NULL,
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    utr                 text CHECK (utr IS NULL OR (length(utr) BETWEEN 6 AND 35 AND utr = upper(utr))),
    cheque_number       text,
    cheque_bank         text,
    cheque_state        text CHECK (cheque_state IN ('pending', 'cleared', 'bounced')),
    note                text,
    reversed_on         date,
    reverse_reason      text,
    user_id             uuid,
    desk_id             text,
    UNIQUE (org_id, id),
    UNIQUE (org_id, receipt_number),
    FOREIGN KEY (org_id, tenant_id) REFERENCES tenant (org_id, id),
    CHECK ((mode IN ('upi', 'bank_transfer')) = (utr IS NOT NULL)),
    CHECK ((mode = 'cheque') = (cheque_number IS NOT NULL AND cheque_state IS NOT NULL)),
    CHECK ((reversed_on IS NULL) = (reverse_reason IS NULL))
);
-- One transfer is booked once in the organisation. A payment reversed as
-- booked in error frees its UTR so it can be booked right.
CREATE UNIQUE INDEX payment_utr_once ON payment (org_id, utr)
    WHERE utr IS NOT NULL AND reversed_on IS NULL;
CREATE INDEX payment_org_list ON payment (org_id, recorded_at DESC, id);
CREATE INDEX payment_tenant ON payment (org_id, tenant_id, recorded_at DESC);

-- A recorded payment keeps its facts; it is reversed (once), never edited.
CREATE FUNCTION payment_is_fixed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'payments are kept; reverse one instead';
    END IF;
    IF OLD.reversed_on IS NOT NULL THEN
        RAISE EXCEPTION 'a reversed payment cannot be changed';
    END IF;
    IF (to_jsonb(NEW) - ARRAY['reversed_on', 'reverse_reason', 'cheque_state'])
        IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['reversed_on', 'reverse_reason', 'cheque_state']) THEN
        RAISE EXCEPTION 'a recorded payment cannot be changed; reverse it instead';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER payment_fixed BEFORE UPDATE OR DELETE ON payment
    FOR EACH ROW EXECUTE FUNCTION payment_is_fixed();

-- The ledger: append-only entries per tenant account; seq is the order of
-- appending, which the domain's rules replay.
CREATE TABLE ledger_entry (
    seq             bigserial PRIMARY KEY,
    id              uuid NOT NULL UNIQUE,
    org_id          uuid NOT NULL,
    tenant_id       uuid NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('charge', 'payment', 'deposit_held',
                        'deposit_refunded', 'adjustment', 'reversal')),
    book            text NOT NULL CHECK (book IN ('dues', 'deposit')),
    amount_paise    bigint NOT NULL CHECK (amount_paise <> 0),
    posted_on       date NOT NULL,
    due_on          date,
    invoice_id      uuid,
    payment_id      uuid,
    reverses        uuid UNIQUE REFERENCES ledger_entry (id),
    memo            text NOT NULL,
    user_id         uuid,
    desk_id         text,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, tenant_id) REFERENCES tenant (org_id, id),
    FOREIGN KEY (org_id, invoice_id) REFERENCES invoice (org_id, id),
    FOREIGN KEY (org_id, payment_id) REFERENCES payment (org_id, id),
    CHECK ((kind = 'reversal') = (reverses IS NOT NULL)),
    CHECK (kind <> 'charge' OR (amount_paise > 0 AND due_on IS NOT NULL AND book = 'dues')),
    CHECK (kind <> 'payment' OR (amount_paise < 0 AND book = 'dues')),
    CHECK (kind <> 'deposit_held' OR (amount_paise < 0 AND book = 'deposit')),
    CHECK (kind <> 'deposit_refunded' OR (amount_paise > 0 AND book = 'deposit'))
);
-- A tenant's statement: by the day posted, then the order of appending.
CREATE INDEX ledger_entry_statement ON ledger_entry (org_id, tenant_id, posted_on, seq);
CREATE INDEX ledger_entry_invoice ON ledger_entry (invoice_id) WHERE invoice_id IS NOT NULL;
CREATE INDEX ledger_entry_payment ON ledger_entry (payment_id) WHERE payment_id IS NOT NULL;

-- A reversal undoes exactly one earlier entry of the same account, with the
-- opposite amount in the same book, and is never itself reversed.
CREATE FUNCTION ledger_entry_reversal_matches() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.reverses IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM ledger_entry t
        WHERE t.id = NEW.reverses
          AND t.org_id = NEW.org_id
          AND t.tenant_id = NEW.tenant_id
          AND t.book = NEW.book
          AND t.amount_paise = -NEW.amount_paise
          AND t.kind <> 'reversal'
    ) THEN
        RAISE EXCEPTION 'a reversal must undo exactly one earlier entry of the same account';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER ledger_entry_reversal BEFORE INSERT ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_reversal_matches();

CREATE FUNCTION ledger_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: correct an entry with a reversal', TG_TABLE_NAME;
END
$$;

-- How a payment entry was applied to charges when it was recorded.
CREATE TABLE payment_allocation (
    org_id          uuid NOT NULL,
    entry_id        uuid NOT NULL REFERENCES ledger_entry (id),
    item_entry_id   uuid NOT NULL REFERENCES ledger_entry (id),
    payment_id      uuid NOT NULL,
    invoice_id      uuid,
    amount_paise    bigint NOT NULL CHECK (amount_paise > 0),
    PRIMARY KEY (entry_id, item_entry_id),
    FOREIGN KEY (org_id, payment_id) REFERENCES payment (org_id, id),
    FOREIGN KEY (org_id, invoice_id) REFERENCES invoice (org_id, id)
);
CREATE INDEX payment_allocation_payment ON payment_allocation (payment_id);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['ledger_entry', 'payment_allocation', 'invoice_line']
    LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only()', t || '_no_change', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only()', t || '_no_truncate', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['invoice', 'payment']
    LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only()', t || '_no_truncate', t);
    END LOOP;
END
$$;

-- Fast totals of the invoice and payment lists (see 0002).
ALTER TABLE org_count DROP CONSTRAINT org_count_entity_check;
ALTER TABLE org_count ADD CONSTRAINT org_count_entity_check
    CHECK (entity IN ('tenant', 'allocation', 'invoice', 'payment'));
INSERT INTO org_count (org_id, entity, n)
SELECT org_id, 'invoice', count(*) FROM invoice GROUP BY org_id;
INSERT INTO org_count (org_id, entity, n)
SELECT org_id, 'payment', count(*) FROM payment GROUP BY org_id;
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['invoice', 'payment']
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS added '
                       'FOR EACH STATEMENT EXECUTE FUNCTION org_count_added()', t || '_count_added', t);
    END LOOP;
END
$$;

-- Row-level security, as on every organisation's table.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['contract', 'number_series', 'invoice', 'invoice_line', 'payment',
                             'ledger_entry', 'payment_allocation']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY org_isolation ON %I USING (org_id = current_org_id()) WITH CHECK (org_id = current_org_id())',
            t);
    END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON contract, number_series, invoice, payment TO multipms_app;
GRANT SELECT, INSERT ON invoice_line, ledger_entry, payment_allocation TO multipms_app;
GRANT USAGE ON SEQUENCE ledger_entry_seq_seq TO multipms_app;
