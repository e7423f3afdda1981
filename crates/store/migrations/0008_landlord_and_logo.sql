-- Rent receipts name the landlord and, once a tenant's rent passes
-- ₹1,00,000 in a financial year, the landlord's PAN. A building's owner is
-- often not the business that runs it, so both belong to the property;
-- a blank landlord name means the property's own name.
ALTER TABLE property ADD COLUMN landlord_name TEXT;
ALTER TABLE property ADD COLUMN landlord_pan TEXT
    CHECK (landlord_pan IS NULL OR (length(landlord_pan) = 10 AND landlord_pan = upper(landlord_pan)));

-- The business's logo for invoices and receipts: a PNG the desk has already
-- checked and scaled down (at most 600 pixels a side).
ALTER TABLE organisation ADD COLUMN logo_png BLOB
    CHECK (logo_png IS NULL OR length(logo_png) <= 2097152);
