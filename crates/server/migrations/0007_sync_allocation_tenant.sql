-- A tenant's stays among the synced records: a front desk's pushes name
-- tenants, and the server checks where each stays (sync::access).
CREATE INDEX sync_allocation_tenant ON sync_record (org_id, (data->>'tenant_id'))
    WHERE entity = 'allocation' AND NOT deleted;
