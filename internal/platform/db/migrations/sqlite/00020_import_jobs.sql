-- +goose Up
-- An import job's state lives in its row, for any server to answer: the
-- server running it (owner) writes its phase and progress, and beats
-- (heartbeat_at) while it runs; committed counts the rows committed and is
-- written in the same transaction as they are, so a job cut short (a
-- killed server) is told apart from one whose rows all landed. error_file
-- is the job's full row-error report (CSV), the result holding the first
-- errors only.
ALTER TABLE jobs ADD COLUMN phase TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN committed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN failed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN read_done BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN heartbeat_at TIMESTAMP;
ALTER TABLE jobs ADD COLUMN started_at TIMESTAMP;
ALTER TABLE jobs ADD COLUMN error_file TEXT NOT NULL DEFAULT '';
CREATE INDEX jobs_running ON jobs(status) WHERE status = 'running';

-- +goose Down
DROP INDEX jobs_running;
ALTER TABLE jobs DROP COLUMN error_file;
ALTER TABLE jobs DROP COLUMN started_at;
ALTER TABLE jobs DROP COLUMN heartbeat_at;
ALTER TABLE jobs DROP COLUMN owner;
ALTER TABLE jobs DROP COLUMN read_done;
ALTER TABLE jobs DROP COLUMN failed;
ALTER TABLE jobs DROP COLUMN committed;
ALTER TABLE jobs DROP COLUMN phase;
