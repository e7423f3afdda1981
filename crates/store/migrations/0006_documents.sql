-- Tenants' documents: KYC papers, rental agreements, photos. Only what the
-- desk needs to list and find them is here; the files themselves live
-- encrypted in the documents folder, named by sha256 (the multipms-documents
-- crate). A removed document keeps its row (removed_at set) for the record.

CREATE TABLE document (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenant (id),
    contract_id     TEXT REFERENCES contract (id),
    kind            TEXT NOT NULL CHECK (kind IN ('rental_agreement', 'aadhaar', 'pan',
                        'passport', 'photo', 'police_verification', 'other')),
    original_name   TEXT NOT NULL CHECK (length(original_name) BETWEEN 1 AND 255),
    file_type       TEXT NOT NULL CHECK (file_type IN ('pdf', 'jpeg', 'png', 'webp')),
    size_bytes      INTEGER NOT NULL CHECK (size_bytes BETWEEN 1 AND 20971520),
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    added_by        TEXT NOT NULL,
    added_at        TEXT NOT NULL,
    removed_at      TEXT,
    removed_by      TEXT,
    CHECK ((removed_at IS NULL) = (removed_by IS NULL))
) STRICT;

CREATE INDEX document_tenant ON document (tenant_id, added_at);
CREATE INDEX document_sha256 ON document (sha256);

-- The second wall: a document filed under a contract belongs to that
-- contract's tenant, whatever code path writes.
CREATE TRIGGER document_contract_of_tenant_insert BEFORE INSERT ON document
WHEN NEW.contract_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM contract c JOIN allocation a ON a.id = c.allocation_id
    WHERE c.id = NEW.contract_id AND a.tenant_id = NEW.tenant_id
)
BEGIN
    SELECT RAISE(ABORT, 'document contract belongs to another tenant');
END;

CREATE TRIGGER document_contract_of_tenant_update BEFORE UPDATE OF tenant_id, contract_id ON document
WHEN NEW.contract_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM contract c JOIN allocation a ON a.id = c.allocation_id
    WHERE c.id = NEW.contract_id AND a.tenant_id = NEW.tenant_id
)
BEGIN
    SELECT RAISE(ABORT, 'document contract belongs to another tenant');
END;
