-- The central server's schema: organisations, accounts and sessions, the
-- portfolio (properties, rooms, beds, tenants, allocations) and the audit log.
--
-- Two walls keep organisations apart:
--   1. every query of the server names the organisation (org_id = $1);
--   2. PostgreSQL row-level security, FORCEd on every table with an org_id,
--      lets the application role `multipms_app` see only the rows of the
--      organisation set with set_config('app.org_id', …, true) inside the
--      transaction. Without it set, the app role sees nothing.
--
-- This migration runs as the owner of the tables (the admin URL). The server
-- itself works as `multipms_app`: a role that owns nothing and cannot bypass
-- row-level security. Sign-in and token look-ups, which happen before the
-- organisation is known, go through two SECURITY DEFINER functions only.

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- The application role is cluster-wide: made once (a DBA may make it first,
-- then this needs no CREATEROLE), shared by every database of the cluster.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'multipms_app') THEN
        BEGIN
            CREATE ROLE multipms_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        EXCEPTION
            WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO multipms_app;

-- The organisation set for this transaction, NULL when none.
CREATE FUNCTION current_org_id() RETURNS uuid
LANGUAGE sql STABLE
AS $$ SELECT NULLIF(current_setting('app.org_id', true), '')::uuid $$;

CREATE TABLE organisation (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (length(btrim(name)) > 0),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE app_user (
    id                    uuid PRIMARY KEY,
    org_id                uuid NOT NULL REFERENCES organisation (id),
    email                 text NOT NULL CHECK (email = lower(email)),
    full_name             text NOT NULL,
    role                  text NOT NULL CHECK (role IN ('owner', 'manager', 'front_desk', 'caretaker', 'accountant')),
    password_hash         text NOT NULL,
    must_change_password  boolean NOT NULL DEFAULT false,
    disabled_at           timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id)
);
-- One account per email across the server: sign-in knows no organisation.
CREATE UNIQUE INDEX app_user_email ON app_user (email);

CREATE TABLE session (
    token_hash   bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    org_id       uuid NOT NULL,
    user_id      uuid NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    address      text,
    FOREIGN KEY (org_id, user_id) REFERENCES app_user (org_id, id)
);
CREATE INDEX session_by_user ON session (user_id) WHERE revoked_at IS NULL;

-- Failed sign-ins per account (key 'account:<email>') and per address
-- ('address:<ip>'). Not organisation data: an unknown email has no org.
CREATE TABLE sign_in_failure (
    key           text PRIMARY KEY,
    failures      integer NOT NULL,
    first_at      timestamptz NOT NULL,
    last_at       timestamptz NOT NULL,
    locked_until  timestamptz
);

CREATE TABLE property (
    id             uuid PRIMARY KEY,
    org_id         uuid NOT NULL REFERENCES organisation (id),
    name           text NOT NULL,
    address_line1  text NOT NULL,
    address_line2  text,
    city           text NOT NULL,
    state          text NOT NULL,
    state_code     smallint NOT NULL,
    pin_code       text NOT NULL CHECK (length(pin_code) = 6),
    gstin          text,
    code           text NOT NULL,
    upi_id         text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id),
    UNIQUE (org_id, code)
);

-- Which properties a front-desk user or caretaker may work on.
CREATE TABLE user_property (
    org_id       uuid NOT NULL,
    user_id      uuid NOT NULL,
    property_id  uuid NOT NULL,
    PRIMARY KEY (user_id, property_id),
    FOREIGN KEY (org_id, user_id) REFERENCES app_user (org_id, id),
    FOREIGN KEY (org_id, property_id) REFERENCES property (org_id, id)
);

CREATE TABLE room (
    id                  uuid PRIMARY KEY,
    org_id              uuid NOT NULL,
    property_id         uuid NOT NULL,
    floor               smallint NOT NULL,
    number              text NOT NULL,
    room_type           text NOT NULL,
    sharing             smallint NOT NULL CHECK (sharing BETWEEN 1 AND 6),
    ac                  boolean NOT NULL,
    rent_per_bed_paise  bigint NOT NULL CHECK (rent_per_bed_paise > 0),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id),
    UNIQUE (property_id, id),
    UNIQUE (property_id, number),
    FOREIGN KEY (org_id, property_id) REFERENCES property (org_id, id)
);

CREATE TABLE bed (
    id           uuid PRIMARY KEY,
    org_id       uuid NOT NULL,
    property_id  uuid NOT NULL,
    room_id      uuid NOT NULL,
    label        text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id),
    UNIQUE (property_id, id),
    UNIQUE (room_id, label),
    FOREIGN KEY (org_id, room_id) REFERENCES room (org_id, id),
    FOREIGN KEY (property_id, room_id) REFERENCES room (property_id, id)
);

CREATE TABLE tenant (
    id                    uuid PRIMARY KEY,
    org_id                uuid NOT NULL,
    -- The property the tenant was onboarded at: scopes a tenant with no
    -- allocation yet to the desks of that property.
    property_id           uuid NOT NULL,
    full_name             text NOT NULL,
    mobile                text NOT NULL,
    email                 text,
    date_of_birth         date,
    permanent_address     text,
    emergency_name        text,
    emergency_phone       text,
    occupation            text,
    college_or_employer   text,
    -- KYC. An Aadhaar number is never stored, only its masked form.
    kyc_document          text,
    kyc_number            text,
    kyc_masked            text,
    police_verification   text NOT NULL DEFAULT 'pending',
    police_verified_on    date,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, property_id) REFERENCES property (org_id, id),
    CHECK (kyc_document IS DISTINCT FROM 'aadhaar' OR kyc_number IS NULL)
);
CREATE INDEX tenant_org_name ON tenant (org_id, full_name);

-- A tenant on a bed over [move_in, move_out); move_out NULL is open-ended.
CREATE TABLE allocation (
    id           uuid PRIMARY KEY,
    org_id       uuid NOT NULL,
    property_id  uuid NOT NULL,
    bed_id       uuid NOT NULL,
    tenant_id    uuid NOT NULL,
    move_in      date NOT NULL,
    move_out     date,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, bed_id) REFERENCES bed (org_id, id),
    FOREIGN KEY (property_id, bed_id) REFERENCES bed (property_id, id),
    FOREIGN KEY (org_id, tenant_id) REFERENCES tenant (org_id, id),
    CHECK (move_out IS NULL OR move_out > move_in),
    -- The database's own wall: two stays of one bed never share a night.
    CONSTRAINT allocation_no_overlap EXCLUDE USING gist (
        bed_id WITH =,
        daterange(move_in, move_out, '[)') WITH &&
    )
);
CREATE INDEX allocation_tenant ON allocation (tenant_id);
CREATE INDEX allocation_property ON allocation (org_id, property_id);

-- Who wrote what, when, from which desk. Append-only: the app role may only
-- insert and read it, and the triggers refuse changes from anyone.
CREATE TABLE audit_log (
    seq          bigserial PRIMARY KEY,
    org_id       uuid NOT NULL REFERENCES organisation (id),
    user_id      uuid,
    desk_id      text,
    at           timestamptz NOT NULL DEFAULT now(),
    action       text NOT NULL,
    entity       text NOT NULL,
    entity_id    uuid NOT NULL,
    before_json  jsonb,
    after_json   jsonb
);
CREATE INDEX audit_log_org ON audit_log (org_id, seq);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- Row-level security on every organisation's table.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['app_user', 'session', 'property', 'user_property', 'room', 'bed',
                             'tenant', 'allocation', 'audit_log']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY org_isolation ON %I USING (org_id = current_org_id()) WITH CHECK (org_id = current_org_id())',
            t);
    END LOOP;
END
$$;
ALTER TABLE organisation ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisation FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON organisation
    USING (id = current_org_id()) WITH CHECK (id = current_org_id());

-- The owner of the tables (who runs this migration) reads accounts and
-- sessions across organisations, only through the two functions below.
DO $$
BEGIN
    EXECUTE format('CREATE POLICY owner_sign_in ON app_user FOR SELECT TO %I USING (true)', current_user);
    EXECUTE format('CREATE POLICY owner_sign_in ON session FOR SELECT TO %I USING (true)', current_user);
    EXECUTE format('CREATE POLICY owner_sign_in ON user_property FOR SELECT TO %I USING (true)', current_user);
END
$$;

-- Sign-in: the account of an email, whatever its organisation.
CREATE FUNCTION sign_in_account(p_email text)
RETURNS TABLE (user_id uuid, org_id uuid, password_hash text, disabled boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT u.id, u.org_id, u.password_hash, u.disabled_at IS NOT NULL
    FROM app_user u
    WHERE u.email = lower(p_email)
$$;

-- A live session by its token's hash: who, which organisation, which role,
-- which properties. Nothing when expired, revoked or the user is disabled.
CREATE FUNCTION session_identity(p_token_hash bytea)
RETURNS TABLE (user_id uuid, org_id uuid, role text, must_change_password boolean,
               expires_at timestamptz, property_ids uuid[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT u.id, u.org_id, u.role, u.must_change_password, s.expires_at,
           ARRAY(SELECT up.property_id FROM user_property up WHERE up.user_id = u.id)
    FROM session s
    JOIN app_user u ON u.id = s.user_id AND u.org_id = s.org_id
    WHERE s.token_hash = p_token_hash
      AND s.revoked_at IS NULL
      AND s.expires_at > now()
      AND u.disabled_at IS NULL
$$;

REVOKE ALL ON FUNCTION sign_in_account(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION session_identity(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sign_in_account(text) TO multipms_app;
GRANT EXECUTE ON FUNCTION session_identity(bytea) TO multipms_app;
GRANT EXECUTE ON FUNCTION current_org_id() TO multipms_app;

GRANT SELECT, INSERT, UPDATE ON organisation, app_user, session, property, room, bed, tenant,
    allocation TO multipms_app;
GRANT SELECT, INSERT, DELETE ON user_property TO multipms_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON sign_in_failure TO multipms_app;
GRANT SELECT, INSERT ON audit_log TO multipms_app;
GRANT USAGE ON SEQUENCE audit_log_seq_seq TO multipms_app;
