-- Search of one or two characters: word prefixes of name, mobile, room and
-- bed, from a prefix index (three or more characters use the trigram index).
CREATE VIRTUAL TABLE tenant_prefix USING fts5 (
    tenant_id UNINDEXED,
    full_name,
    mobile,
    room,
    bed,
    tokenize = 'unicode61',
    prefix = '1 2'
);

INSERT INTO tenant_prefix (tenant_id, full_name, mobile, room, bed)
SELECT tenant_id, full_name, mobile, room, bed FROM tenant_search;
