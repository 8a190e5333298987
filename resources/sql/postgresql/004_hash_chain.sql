-- Event log, schema version 4 (PostgreSQL): a tamper-evident chain. Each event stores the
-- SHA-256 of the event before it and of itself (EventChain); events stored before this version
-- have none, and the chain starts after them (log_meta chain_from; chain_prev is the hash before
-- the chain's first kept event, moved on by retention).
ALTER TABLE events ADD COLUMN hash TEXT;
ALTER TABLE events ADD COLUMN prev_hash TEXT;
INSERT INTO log_meta (key, value)
    SELECT 'chain_from', (value::bigint + 1)::text FROM log_meta WHERE key = 'last_seq';
