-- The files of the desks' documents (KYC papers, signed contracts), so a
-- document added at one desk opens at every other. Kept by content: the
-- key is the SHA-256 the desk's document record names, checked against
-- the bytes when they arrive. A desk encrypts its own copy with its own
-- key; the server's copy is protected by the organisation's row-level
-- security and the database's own encryption at rest.
CREATE TABLE sync_file (
    org_id       uuid NOT NULL REFERENCES organisation (id),
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    bytes        bytea NOT NULL,
    size_bytes   integer NOT NULL CHECK (size_bytes = length(bytes)),
    uploaded_by  uuid NOT NULL,
    uploaded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, sha256),
    FOREIGN KEY (org_id, uploaded_by) REFERENCES app_user (org_id, id)
);

ALTER TABLE sync_file ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_file FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON sync_file
    USING (org_id = current_org_id()) WITH CHECK (org_id = current_org_id());
GRANT SELECT, INSERT ON sync_file TO multipms_app;
