-- +goose Up
-- An API token may carry a subset of its owner's permissions (comma-separated;
-- empty: all of them).
ALTER TABLE api_tokens ADD COLUMN permissions TEXT NOT NULL DEFAULT '';

-- The hashes of a user's previous passwords, so that none of the last five
-- is chosen again.
CREATE TABLE password_history (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    hash       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX password_history_user ON password_history(user_id, id);

-- Rows chained with the key outside the database (HMAC-SHA256) are marked,
-- so that rows written before a key was configured still verify.
ALTER TABLE audit_log ADD COLUMN keyed BOOLEAN NOT NULL DEFAULT 0;

-- +goose Down
SELECT 1;
