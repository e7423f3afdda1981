-- Which synced records a property-scoped user's desk (front desk,
-- caretaker) is sent: those of their properties, found from the record
-- itself or its parents. A tenant belongs to the properties of their
-- stays, and to everyone while they have none (being onboarded). Records
-- of other properties are sent as deletions (sync::feed). Judged when
-- pulled: a tenant who moves in later brings only what changes after.
CREATE FUNCTION sync_tenant_in_scope(org uuid, tenant text, scope text[])
RETURNS boolean STABLE LANGUAGE sql AS $$
    SELECT NOT EXISTS (
               SELECT 1 FROM sync_record a
               WHERE a.org_id = org AND a.entity = 'allocation' AND NOT a.deleted
                 AND a.data->>'tenant_id' = tenant)
        OR EXISTS (
               SELECT 1 FROM sync_record a
               WHERE a.org_id = org AND a.entity = 'allocation' AND NOT a.deleted
                 AND a.data->>'tenant_id' = tenant AND a.data->>'property_id' = ANY (scope))
$$;

CREATE FUNCTION sync_data_of(org uuid, e text, k text)
RETURNS jsonb STABLE LANGUAGE sql AS $$
    SELECT r.data FROM sync_record r WHERE r.org_id = org AND r.entity = e AND r.key = k
$$;

CREATE FUNCTION sync_in_scope(org uuid, e text, k text, d jsonb, scope text[])
RETURNS boolean STABLE LANGUAGE plpgsql AS $$
DECLARE
    parent jsonb;
BEGIN
    IF d IS NULL OR e IN ('organisation', 'receipt_series') THEN
        RETURN true;
    ELSIF e = 'property' THEN
        RETURN k = ANY (scope);
    ELSIF e = 'tenant' THEN
        RETURN sync_tenant_in_scope(org, k, scope);
    ELSIF d ? 'property_id' THEN
        RETURN d->>'property_id' = ANY (scope);
    ELSIF d ? 'tenant_id' THEN
        RETURN sync_tenant_in_scope(org, d->>'tenant_id', scope);
    ELSIF d ? 'invoice_id' AND d->>'invoice_id' IS NOT NULL THEN
        parent := sync_data_of(org, 'invoice', d->>'invoice_id');
        RETURN parent IS NULL OR parent->>'property_id' = ANY (scope);
    ELSIF d ? 'contract_id' THEN
        parent := sync_data_of(org, 'contract', d->>'contract_id');
        IF parent IS NULL THEN
            RETURN true;
        END IF;
        parent := sync_data_of(org, 'allocation', parent->>'allocation_id');
        RETURN parent IS NULL OR parent->>'property_id' = ANY (scope);
    ELSIF d ? 'allocation_id' THEN
        parent := sync_data_of(org, 'allocation', d->>'allocation_id');
        RETURN parent IS NULL OR parent->>'property_id' = ANY (scope);
    ELSIF d ? 'room_id' THEN
        parent := sync_data_of(org, 'room', d->>'room_id');
        RETURN parent IS NULL OR parent->>'property_id' = ANY (scope);
    ELSIF d ? 'settlement_id' THEN
        parent := sync_data_of(org, 'deposit_settlement', d->>'settlement_id');
        RETURN parent IS NULL OR sync_tenant_in_scope(org, parent->>'tenant_id', scope);
    ELSIF d ? 'payment_id' THEN
        parent := sync_data_of(org, 'payment', d->>'payment_id');
        RETURN parent IS NULL OR sync_tenant_in_scope(org, parent->>'tenant_id', scope);
    END IF;
    RETURN true;
END
$$;
