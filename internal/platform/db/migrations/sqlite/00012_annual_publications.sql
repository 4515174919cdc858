-- +goose Up
-- A published annual evaluation: the scores, lists and document exactly as
-- published, so that they never change afterwards (the scheme and counting
-- rules are versioned by year in settings, keys "assess.scheme@YYYY" and
-- "assess.rules@YYYY"). Reopening keeps the row and records who and why;
-- at most one live publication per year.
CREATE TABLE annual_publications (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL,
    published_at TIMESTAMP NOT NULL,
    published_by INTEGER REFERENCES users(id),
    annual_json  TEXT NOT NULL,
    docx         BLOB NOT NULL,
    reopened_at  TIMESTAMP,
    reopened_by  INTEGER REFERENCES users(id),
    reason       TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX annual_publications_live ON annual_publications(year) WHERE reopened_at IS NULL;

-- +goose Down
DROP TABLE annual_publications;
