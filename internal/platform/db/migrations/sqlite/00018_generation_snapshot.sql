-- +goose Up
-- SQLite keeps numbering project writes by counters('project')
-- (internal/platform/db/generation.go): its writers are one at a time, so
-- the counter row costs no waiting. Nothing changes here; the number is
-- kept so that both engines carry the same migrations.
SELECT 1;

-- +goose Down
SELECT 1;
