-- A statement reads a tenant's entries by the day posted, then in the order
-- recorded; exports stream the whole ledger that way without sorting it.
CREATE INDEX ledger_entry_statement ON ledger_entry (tenant_id, posted_on, seq);
