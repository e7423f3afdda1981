-- Desk sync, second step: the database itself refuses a record that meets
-- one the server already has. The rules (src/sync/) check an operation's
-- own rows; the partial unique indexes of 0004 and the exclusion
-- constraint below refuse the rest when the records are written, and the
-- server then looks up and names the record in the way. (Looking every
-- value up before writing cost hundreds of index probes per operation,
-- which the planner turned into scans while a first push filled the table
-- faster than its statistics followed.)

-- As the desk's allocation_no_overlap triggers: two stays of one bed never
-- share a night. [move_in, move_out) of ISO dates compared as text in byte
-- order, as SQLite compares them; move_out null is open-ended.
CREATE TYPE sync_text_range AS RANGE (subtype = text, collation = "C");
ALTER TABLE sync_record ADD CONSTRAINT sync_allocation_no_overlap EXCLUDE USING gist (
    org_id WITH =,
    (data->>'bed_id') WITH =,
    sync_text_range(data->>'move_in', COALESCE(data->>'move_out', '9999-12-31'), '[)') WITH &&
) WHERE (entity = 'allocation' AND NOT deleted);

-- The constraint's index finds the stays of a bed; this one is not needed.
DROP INDEX sync_allocation_bed;
