-- Webhook outbox, schema version 3 (PostgreSQL): one payload per event, shared by all its deliveries,
-- instead of a copy per endpoint. Deliveries queued from now on leave their own payload empty.
CREATE TABLE webhook_payloads (
    seq BIGINT PRIMARY KEY,
    payload TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_seq ON webhook_deliveries (seq);
