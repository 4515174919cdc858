-- +goose Up
-- Annual targets (R1): city-wide (unit_id NULL) and per unit. Values are
-- hundredths: 万元 for amounts, projects for counts, percent for rates.
CREATE TABLE targets (
    id         INTEGER PRIMARY KEY,
    year       INTEGER NOT NULL,
    unit_id    INTEGER REFERENCES units(id),
    metric     TEXT NOT NULL,
    value      INTEGER NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX targets_key ON targets(year, COALESCE(unit_id, 0), metric);

-- A month's close: the report as it stood (figures, rules, targets, unit
-- names) so that it can be shown again exactly. Reopening marks the row.
CREATE TABLE period_closes (
    id          INTEGER PRIMARY KEY,
    year        INTEGER NOT NULL,
    month       INTEGER NOT NULL,
    closed_at   TIMESTAMP NOT NULL,
    closed_by   INTEGER REFERENCES users(id),
    report_json TEXT NOT NULL,
    reopened_at TIMESTAMP,
    reopened_by INTEGER REFERENCES users(id),
    reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX period_closes_month ON period_closes(year, month);

-- The project rows behind a closed month's figures: each project's credit
-- to each unit (unit_id 0: the city), counts in basis points of a project,
-- amounts in hundredths of 万元 times basis points.
CREATE TABLE period_rows (
    close_id     INTEGER NOT NULL REFERENCES period_closes(id),
    project_id   INTEGER NOT NULL,
    unit_id      INTEGER NOT NULL,
    role         TEXT NOT NULL,
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    signed_on    TEXT NOT NULL,
    investment   INTEGER NOT NULL,
    count_bp     INTEGER NOT NULL,
    amount_e4    INTEGER NOT NULL,
    foreign_e4   INTEGER NOT NULL,
    bands        TEXT NOT NULL DEFAULT '',
    stage        TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (close_id, project_id, unit_id, role)
);

-- +goose Down
SELECT 1;
