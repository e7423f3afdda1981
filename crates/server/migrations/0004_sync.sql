-- Desk sync: the desks' records as documents, a sequence number per
-- organisation, and the answer given to every pushed operation.
--
-- A record is (entity, key, data): entity is the desk's table name, key its
-- primary key as text (composite keys joined with '|'), data a JSON object
-- of the row's columns as the desk stores them; a deleted record keeps a
-- tombstone (data NULL). Every change gets the next number of its
-- organisation (sync_counter.last_seq); a desk pulls the records whose seq
-- is above the last it saw. The server's rules (src/sync/) run while the
-- organisation's sync_counter row is locked, so they never race.
--
-- Every table carries org_id, with FORCEd row-level security like the
-- tables of 0001.

-- Where the organisation's numbering stands, and how many live records it
-- keeps. Its row is the lock that serialises pushes.
CREATE TABLE sync_counter (
    org_id        uuid PRIMARY KEY REFERENCES organisation (id),
    last_seq      bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
    live_records  bigint NOT NULL DEFAULT 0 CHECK (live_records >= 0)
);

-- The latest state of every record.
CREATE TABLE sync_record (
    org_id      uuid NOT NULL REFERENCES organisation (id),
    entity      text NOT NULL,
    key         text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    data        jsonb CHECK (data IS NULL OR jsonb_typeof(data) = 'object'),
    deleted     boolean NOT NULL DEFAULT false,
    seq         bigint NOT NULL CHECK (seq >= 1),
    op_id       uuid NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, entity, key),
    CHECK (deleted = (data IS NULL))
);
-- Pull: an organisation's records in the order of their numbers.
CREATE UNIQUE INDEX sync_record_seq ON sync_record (org_id, seq);

-- The desk's UNIQUE constraints, per organisation, among live records. The
-- rules check them first and name the record in the way; these indexes are
-- the safety net, and find the records in the way fast.
CREATE UNIQUE INDEX sync_property_code ON sync_record (org_id, (data->>'code'))
    WHERE entity = 'property' AND NOT deleted;
CREATE UNIQUE INDEX sync_room_number ON sync_record (org_id, (data->>'property_id'), (data->>'number'))
    WHERE entity = 'room' AND NOT deleted;
CREATE UNIQUE INDEX sync_bed_label ON sync_record (org_id, (data->>'room_id'), (data->>'label'))
    WHERE entity = 'bed' AND NOT deleted;
CREATE UNIQUE INDEX sync_contract_allocation ON sync_record (org_id, (data->>'allocation_id'))
    WHERE entity = 'contract' AND NOT deleted;
CREATE UNIQUE INDEX sync_invoice_series_prefix ON sync_record (org_id, (data->>'prefix'))
    WHERE entity = 'invoice_series' AND NOT deleted;
CREATE UNIQUE INDEX sync_receipt_series_prefix ON sync_record (org_id, (data->>'prefix'))
    WHERE entity = 'receipt_series' AND NOT deleted;
CREATE UNIQUE INDEX sync_invoice_number ON sync_record (org_id, (data->>'number'))
    WHERE entity = 'invoice' AND NOT deleted;
CREATE UNIQUE INDEX sync_invoice_sequence ON sync_record
    (org_id, (data->>'series_prefix'), (data->>'fy_start'), (data->>'sequence'))
    WHERE entity = 'invoice' AND NOT deleted;
-- As the desk's invoice_one_per_contract_month: one standing invoice per
-- contract and month.
CREATE UNIQUE INDEX sync_invoice_contract_month ON sync_record
    (org_id, (data->>'contract_id'), (data->>'month'))
    WHERE entity = 'invoice' AND NOT deleted AND data->>'status' = 'issued';
CREATE UNIQUE INDEX sync_payment_receipt ON sync_record (org_id, (data->>'receipt_number'))
    WHERE entity = 'payment' AND NOT deleted;
-- As the desk's payment_utr_once: a UTR, normalised, once among payments
-- not reversed.
CREATE UNIQUE INDEX sync_payment_utr ON sync_record
    (org_id, (upper(replace(replace(data->>'utr', ' ', ''), '-', ''))))
    WHERE entity = 'payment' AND NOT deleted AND data->>'utr' IS NOT NULL
      AND data->>'reversed_on' IS NULL;
CREATE UNIQUE INDEX sync_ledger_reverses ON sync_record (org_id, (data->>'reverses'))
    WHERE entity = 'ledger_entry' AND NOT deleted AND data->>'reverses' IS NOT NULL;
CREATE UNIQUE INDEX sync_meter_reading_month ON sync_record
    (org_id, (data->>'room_id'), (data->>'month'))
    WHERE entity = 'meter_reading' AND NOT deleted;
CREATE UNIQUE INDEX sync_deposit_settlement_contract ON sync_record (org_id, (data->>'contract_id'))
    WHERE entity = 'deposit_settlement' AND NOT deleted;
CREATE UNIQUE INDEX sync_deposit_settlement_entry ON sync_record (org_id, (data->>'entry_id'))
    WHERE entity = 'deposit_settlement_entry' AND NOT deleted;
-- The stays of a bed, for the overlap rule.
CREATE INDEX sync_allocation_bed ON sync_record (org_id, (data->>'bed_id'))
    WHERE entity = 'allocation' AND NOT deleted;

-- Every pushed operation's answer, given again when the same op_id comes
-- back. truth is what the server held of the op's records when it refused
-- it ('[]' when accepted); content_sha256 tells a retry from a different
-- operation that reuses the id.
CREATE TABLE sync_op (
    org_id          uuid NOT NULL REFERENCES organisation (id),
    op_id           uuid NOT NULL,
    desk_id         uuid NOT NULL,
    user_id         uuid NOT NULL,
    status          text NOT NULL CHECK (status IN ('accepted', 'rejected')),
    seq             bigint,
    reason          text,
    field           text,
    truth           jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(truth) = 'array'),
    row_count       integer NOT NULL CHECK (row_count >= 0),
    content_sha256  bytea NOT NULL CHECK (length(content_sha256) = 32),
    answered_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, op_id),
    FOREIGN KEY (org_id, user_id) REFERENCES app_user (org_id, id),
    CHECK ((status = 'accepted') = (seq IS NOT NULL)),
    CHECK ((status = 'rejected') = (reason IS NOT NULL))
);

-- Row-level security, as on every organisation's table.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['sync_counter', 'sync_record', 'sync_op']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY org_isolation ON %I USING (org_id = current_org_id()) WITH CHECK (org_id = current_org_id())',
            t);
    END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON sync_counter, sync_record TO multipms_app;
GRANT SELECT, INSERT ON sync_op TO multipms_app;
