-- +goose Up
-- Each server's readiness check commits a row here: a database that
-- cannot take a commit (disk full, read-only file or server) is not ready.
CREATE TABLE health_probe (
    server     TEXT PRIMARY KEY,
    checked_at TIMESTAMP NOT NULL
);

-- Scheduled backups: one row per backup a server took (run once across
-- servers under an advisory lock), for the retention and for /metrics.
CREATE TABLE backups (
    id          INTEGER PRIMARY KEY,
    file        TEXT NOT NULL,
    taken_at    TIMESTAMP NOT NULL,
    audit_head  BIGINT NOT NULL,
    rows_total  BIGINT NOT NULL,
    removed_at  TIMESTAMP
);

-- A creating request sent with an Idempotency-Key: its answer, replayed
-- to a retry with the same key from the same user for a day. status is
-- NULL while the first request runs.
CREATE TABLE idempotency_keys (
    user_id      BIGINT NOT NULL,
    key          TEXT NOT NULL,
    method       TEXT NOT NULL,
    path         TEXT NOT NULL,
    status       INTEGER,
    content_type TEXT NOT NULL DEFAULT '',
    body         BLOB,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE backups;
DROP TABLE health_probe;
