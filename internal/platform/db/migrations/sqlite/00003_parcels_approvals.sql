-- +goose Up
-- Land parcels of the parks, supplied to projects as they progress (R12).
CREATE TABLE parcels (
    id           INTEGER PRIMARY KEY,
    park_unit_id INTEGER NOT NULL REFERENCES units(id),
    code         TEXT NOT NULL UNIQUE,
    location     TEXT NOT NULL DEFAULT '',
    area_mu      INTEGER NOT NULL,
    land_use     TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'available',
    project_id   INTEGER REFERENCES projects(id),
    supplied_on  TEXT,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX parcels_park ON parcels(park_unit_id, status);
CREATE INDEX parcels_project ON parcels(project_id);

-- Approval steps of a project (立项/备案, 用地规划, 工程规划, 施工许可, 环评, 能评 …).
CREATE TABLE project_approvals (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES projects(id),
    kind         TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending',
    submitted_on TEXT,
    approved_on  TEXT,
    document_no  TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX project_approvals_project ON project_approvals(project_id);

-- A duplicate merged into another project keeps its history and points at it.
ALTER TABLE projects ADD COLUMN merged_into_id INTEGER REFERENCES projects(id);

-- +goose Down
SELECT 1;
