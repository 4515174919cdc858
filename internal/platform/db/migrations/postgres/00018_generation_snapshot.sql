-- +goose Up
-- Project writes are numbered by their transaction id from now on
-- (internal/platform/db/generation.go), no longer by counters('project'),
-- whose row every project writer waited on. The counter's old values may
-- lie above today's transaction ids; put every row at 0 (already read by
-- any server, which reloads everything at start) so none sits above the
-- readers' horizon.
UPDATE projects SET gen = 0 WHERE gen <> 0;

-- +goose Down
SELECT 1;
