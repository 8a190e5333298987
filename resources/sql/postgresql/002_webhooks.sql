-- Webhook outbox, schema version 2 (PostgreSQL). A delivery is written in the transaction that stores
-- its event and carries its own copy of the envelope, so event retention never takes a pending
-- delivery's payload. state: pending | delivered | dead.
CREATE TABLE webhook_deliveries (
    id BIGSERIAL PRIMARY KEY,
    seq BIGINT NOT NULL,
    event_id TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at_ms BIGINT NOT NULL,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL,
    last_status INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    claimed_by TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint, state, next_at_ms);
CREATE INDEX webhook_deliveries_state ON webhook_deliveries (state, updated_ms);
CREATE TABLE webhook_attempts (
    delivery_id BIGINT NOT NULL,
    attempt INTEGER NOT NULL,
    time_ms BIGINT NOT NULL,
    status INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    error TEXT NOT NULL,
    response TEXT NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
