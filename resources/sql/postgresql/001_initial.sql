-- Event log, schema version 1 (PostgreSQL). Statements end with a semicolon at the end of a line.
CREATE TABLE log_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE events (
    seq BIGINT PRIMARY KEY,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    kb TEXT NOT NULL,
    entry_type TEXT NOT NULL DEFAULT '',
    entry_id TEXT NOT NULL DEFAULT '',
    time_ms BIGINT NOT NULL,
    origin TEXT NOT NULL,
    envelope TEXT NOT NULL
);
CREATE INDEX events_kb_seq ON events (kb, seq);
CREATE INDEX events_time ON events (time_ms);
