-- Webhook endpoints made at run time (HTTP API, pyrite-host webhooks), schema version 5 (PostgreSQL).
-- definition is the endpoint as JSON with the keys a configured one has (docs/webhooks.md), read
-- by the same rules; the signing secret is the server's ("whsec_..."), and after a rotation the
-- previous one keeps signing too until previous_until_ms. Every change moves the revision on, so
-- each process sharing the log sees it before its next transaction queues deliveries.
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    definition TEXT NOT NULL,
    secret TEXT NOT NULL,
    previous_secret TEXT NOT NULL DEFAULT '',
    previous_until_ms BIGINT NOT NULL DEFAULT 0,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
);
CREATE TABLE webhook_endpoint_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO webhook_endpoint_revision (id, revision) VALUES (1, 0);
