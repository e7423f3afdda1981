-- The documents' files this desk has exchanged with the server: uploaded
-- (the desk had the file) or downloaded (it had not). A document whose
-- file is not listed here is done by the next sync round; one whose file
-- is not on the server yet is asked for again. Not synced: each desk keeps
-- its own.
CREATE TABLE document_file_sync (
    sha256     TEXT PRIMARY KEY,
    synced_at  TEXT NOT NULL
) STRICT, WITHOUT ROWID;
