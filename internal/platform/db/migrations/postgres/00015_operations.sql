-- +goose Up
-- Each server's readiness check commits a row here: a database that
-- cannot take a commit (disk full, read-only file or server) is not ready.
CREATE TABLE health_probe (
    server     TEXT PRIMARY KEY,
    checked_at TIMESTAMPTZ NOT NULL
);

-- Scheduled backups: one row per backup a server took (run once across
-- servers under an advisory lock), for the retention and for /metrics.
CREATE TABLE backups (
    id          BIGSERIAL PRIMARY KEY,
    file        TEXT NOT NULL,
    taken_at    TIMESTAMPTZ NOT NULL,
    audit_head  BIGINT NOT NULL,
    rows_total  BIGINT NOT NULL,
    removed_at  TIMESTAMPTZ
);

-- +goose Down
DROP TABLE backups;
DROP TABLE health_probe;
