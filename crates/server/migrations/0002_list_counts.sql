-- Fast list totals and the allocation list's order.
--
-- Counting 45,000 tenants or allocations on every page of a list cost more
-- than the page itself (a scan of every row of the organisation per request).
-- `org_count` keeps the number of rows per organisation, maintained by
-- statement-level triggers in the same transaction as the change; the lists
-- of an unscoped caller with no filter read it instead of counting.

CREATE TABLE org_count (
    org_id  uuid NOT NULL REFERENCES organisation (id),
    entity  text NOT NULL CHECK (entity IN ('tenant', 'allocation')),
    n       bigint NOT NULL CHECK (n >= 0),
    PRIMARY KEY (org_id, entity)
);

INSERT INTO org_count (org_id, entity, n)
SELECT org_id, 'tenant', count(*) FROM tenant GROUP BY org_id;
INSERT INTO org_count (org_id, entity, n)
SELECT org_id, 'allocation', count(*) FROM allocation GROUP BY org_id;

-- Runs as whoever changes the rows: row-level security binds it as it binds
-- the change itself (the organisation of the rows is the one set).
CREATE FUNCTION org_count_added() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO org_count (org_id, entity, n)
    SELECT org_id, TG_TABLE_NAME, count(*) FROM added GROUP BY org_id
    ON CONFLICT (org_id, entity) DO UPDATE SET n = org_count.n + EXCLUDED.n;
    RETURN NULL;
END
$$;

CREATE FUNCTION org_count_removed() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE org_count c SET n = c.n - r.n
    FROM (SELECT org_id, count(*) AS n FROM removed GROUP BY org_id) r
    WHERE c.org_id = r.org_id AND c.entity = TG_TABLE_NAME;
    RETURN NULL;
END
$$;

CREATE FUNCTION org_count_moved() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM added a JOIN removed r ON r.id = a.id WHERE r.org_id <> a.org_id) THEN
        UPDATE org_count c SET n = c.n - r.n
        FROM (SELECT org_id, count(*) AS n FROM removed GROUP BY org_id) r
        WHERE c.org_id = r.org_id AND c.entity = TG_TABLE_NAME;
        INSERT INTO org_count (org_id, entity, n)
        SELECT org_id, TG_TABLE_NAME, count(*) FROM added GROUP BY org_id
        ON CONFLICT (org_id, entity) DO UPDATE SET n = org_count.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['tenant', 'allocation']
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS added '
                       'FOR EACH STATEMENT EXECUTE FUNCTION org_count_added()', t || '_count_added', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS removed '
                       'FOR EACH STATEMENT EXECUTE FUNCTION org_count_removed()', t || '_count_removed', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS removed NEW TABLE AS added '
                       'FOR EACH STATEMENT EXECUTE FUNCTION org_count_moved()', t || '_count_moved', t);
    END LOOP;
END
$$;

-- Counts are kept exact: TRUNCATE would leave them wrong.
CREATE FUNCTION org_count_no_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% cannot be truncated: org_count keeps its row count (DELETE instead)', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER tenant_no_truncate BEFORE TRUNCATE ON tenant
    FOR EACH STATEMENT EXECUTE FUNCTION org_count_no_truncate();
CREATE TRIGGER allocation_no_truncate BEFORE TRUNCATE ON allocation
    FOR EACH STATEMENT EXECUTE FUNCTION org_count_no_truncate();

ALTER TABLE org_count ENABLE ROW LEVEL SECURITY;
ALTER TABLE org_count FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON org_count
    USING (org_id = current_org_id()) WITH CHECK (org_id = current_org_id());
GRANT SELECT, INSERT, UPDATE ON org_count TO multipms_app;

-- The allocation list: newest move-in first, a page at a time, without
-- sorting every allocation of the organisation.
CREATE INDEX allocation_org_move_in ON allocation (org_id, move_in DESC, id);
-- The tenant list's whole order (name, then id).
DROP INDEX tenant_org_name;
CREATE INDEX tenant_org_name ON tenant (org_id, full_name, id);
