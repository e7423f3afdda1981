-- Occupancy across 50,000 beds reads beds and stays by property without a
-- join per row: each bed and each stay carries its property. Triggers keep
-- the column right whatever inserts or moves a row, so no code sets it.

ALTER TABLE bed ADD COLUMN property_id TEXT REFERENCES property (id);
UPDATE bed SET property_id = (SELECT property_id FROM room WHERE room.id = bed.room_id);

CREATE TRIGGER bed_property_on_insert AFTER INSERT ON bed
BEGIN
    UPDATE bed SET property_id = (SELECT property_id FROM room WHERE id = NEW.room_id)
    WHERE id = NEW.id;
END;

CREATE TRIGGER bed_property_on_move AFTER UPDATE OF room_id ON bed
BEGIN
    UPDATE bed SET property_id = (SELECT property_id FROM room WHERE id = NEW.room_id)
    WHERE id = NEW.id;
    UPDATE allocation SET property_id = (SELECT property_id FROM room WHERE id = NEW.room_id)
    WHERE bed_id = NEW.id;
END;

ALTER TABLE allocation ADD COLUMN property_id TEXT REFERENCES property (id);
UPDATE allocation SET property_id = (SELECT property_id FROM bed WHERE bed.id = allocation.bed_id);

CREATE TRIGGER allocation_property_on_insert AFTER INSERT ON allocation
BEGIN
    UPDATE allocation SET property_id = (SELECT property_id FROM bed WHERE id = NEW.bed_id)
    WHERE id = NEW.id;
END;

CREATE TRIGGER allocation_property_on_move AFTER UPDATE OF bed_id ON allocation
BEGIN
    UPDATE allocation SET property_id = (SELECT property_id FROM bed WHERE id = NEW.bed_id)
    WHERE id = NEW.id;
END;

CREATE INDEX bed_property ON bed (property_id, retired_on);
CREATE INDEX bed_retired ON bed (retired_on) WHERE retired_on IS NOT NULL;
CREATE INDEX allocation_property_span ON allocation (property_id, move_in, move_out, notice_on);
CREATE INDEX allocation_move_in ON allocation (move_in);
