-- +goose Up
-- Each server keeps the columns projects are listed, warned about and counted
-- by in memory (internal/project/mirror.go). Every write stamps the projects
-- it changes with the next value of counters('project'); a server reads the
-- counter before answering and rereads only the rows stamped since.
ALTER TABLE projects ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;
CREATE INDEX projects_gen ON projects(gen);
INSERT INTO counters (name, value) VALUES ('project', 0);

-- +goose Down
SELECT 1;
