-- +goose Up
-- Outgoing webhooks: the system administrator's subscriptions (a URL, the
-- events it wants, the format of the receiving platform and its secret,
-- which signing needs in clear).
CREATE TABLE webhook_subscriptions (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    url        TEXT NOT NULL,
    format     TEXT NOT NULL,
    secret     TEXT NOT NULL DEFAULT '',
    events     TEXT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT 1,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The outbox and delivery log: one row per event and subscription, written
-- in the transaction of the change that raised the event. A server's
-- worker claims due rows (claimed_until in the future) so that each is sent
-- by one server at a time, and keeps the outcome of the last attempt.
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    subscription_id BIGINT NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    event           TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_at         TIMESTAMP NOT NULL,
    claimed_until   TIMESTAMP,
    last_status     INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    done_at         TIMESTAMP
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_at);
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, id);

-- Warnings are computed from the data, not stored: the worker's scan keeps
-- here which warnings it has announced, so each is announced once.
CREATE TABLE webhook_warnings_seen (
    rule       TEXT NOT NULL,
    project_id BIGINT NOT NULL,
    since      TEXT NOT NULL,
    seen_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (rule, project_id, since)
);

-- +goose Down
DROP TABLE webhook_warnings_seen;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_subscriptions;
