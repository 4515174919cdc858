-- +goose Up
-- TOTP second factor: the shared secret (sealed with the personal-data key,
-- never stored in the clear), whether enrolment is confirmed, and the last
-- 30-second step a code was accepted for, so that no code is used twice.
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_enabled BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
-- When the password was last set (the 90-day change counts from it). Rows
-- from before count from this migration; a row inserted without it, from created_at.
ALTER TABLE users ADD COLUMN password_changed_at TIMESTAMP;
UPDATE users SET password_changed_at = CURRENT_TIMESTAMP;

-- Recovery codes, each used once, stored as hashes.
CREATE TABLE totp_recovery_codes (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_at   TIMESTAMP
);
CREATE INDEX totp_recovery_codes_user ON totp_recovery_codes(user_id);

-- A session signed in with the password alone waits for its second factor
-- ('totp') or for the enrolment the policy requires ('enrol'); '' is a
-- complete session.
ALTER TABLE sessions ADD COLUMN pending TEXT NOT NULL DEFAULT '';

-- +goose Down
SELECT 1;
