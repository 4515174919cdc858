-- +goose Up
-- Projects from lead to production. Amounts are integer hundredths of 万元
-- (foreign capital: of 万美元; land: of 亩) so that every sum is exact.
CREATE TABLE projects (
    id                       INTEGER PRIMARY KEY,
    code                     TEXT NOT NULL DEFAULT '',
    name                     TEXT NOT NULL,
    name_norm                TEXT NOT NULL,
    investor_name            TEXT NOT NULL,
    investor_norm            TEXT NOT NULL,
    investor_uscc            TEXT NOT NULL DEFAULT '',
    industry_code            TEXT NOT NULL DEFAULT '',
    chain_role               TEXT NOT NULL DEFAULT '',
    contract_investment      INTEGER NOT NULL DEFAULT 0,
    fixed_asset_investment   INTEGER NOT NULL DEFAULT 0,
    foreign_capital          INTEGER NOT NULL DEFAULT 0,
    funds_in_place           INTEGER NOT NULL DEFAULT 0,
    is_foreign               BOOLEAN NOT NULL DEFAULT 0,
    source_region            TEXT NOT NULL DEFAULT '',
    channel                  TEXT NOT NULL DEFAULT '',
    referrer                 TEXT NOT NULL DEFAULT '',
    tags                     TEXT NOT NULL DEFAULT '',
    land_area_mu             INTEGER NOT NULL DEFAULT 0,
    expected_output          INTEGER NOT NULL DEFAULT 0,
    expected_tax             INTEGER NOT NULL DEFAULT 0,
    expected_jobs            INTEGER NOT NULL DEFAULT 0,
    stage                    TEXT NOT NULL DEFAULT 'lead',
    status                   TEXT NOT NULL DEFAULT 'active',
    status_reason            TEXT NOT NULL DEFAULT '',
    lead_on                  TEXT NOT NULL,
    negotiating_on           TEXT,
    signed_on                TEXT,
    registered_on            TEXT,
    construction_on          TEXT,
    production_on            TEXT,
    owner_unit_id            INTEGER NOT NULL REFERENCES units(id),
    locality_unit_id         INTEGER REFERENCES units(id),
    leader_user_id           INTEGER REFERENCES users(id),
    intro_officer_user_id    INTEGER REFERENCES users(id),
    locality_officer_user_id INTEGER REFERENCES users(id),
    is_key                   BOOLEAN NOT NULL DEFAULT 0,
    handover_status          TEXT NOT NULL DEFAULT 'none',
    handover_to_unit_id      INTEGER REFERENCES units(id),
    handover_sent_on         TEXT,
    handover_deadline        TEXT,
    handover_decided_on      TEXT,
    handover_reason          TEXT NOT NULL DEFAULT '',
    last_tracking_on         TEXT,
    created_by               INTEGER REFERENCES users(id),
    version                  INTEGER NOT NULL DEFAULT 1,
    created_at               TIMESTAMP NOT NULL,
    updated_at               TIMESTAMP NOT NULL
);
CREATE INDEX projects_stage ON projects(stage, status);
CREATE INDEX projects_signed_on ON projects(signed_on);
CREATE INDEX projects_locality ON projects(locality_unit_id);
CREATE INDEX projects_owner ON projects(owner_unit_id);
CREATE INDEX projects_updated ON projects(updated_at);
CREATE INDEX projects_investor_uscc ON projects(investor_uscc);
CREATE INDEX projects_investor_norm ON projects(investor_norm);

-- Introducing units and their credit shares in basis points (sum 10000).
CREATE TABLE project_introducers (
    project_id INTEGER NOT NULL REFERENCES projects(id),
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    share_bp   INTEGER NOT NULL,
    PRIMARY KEY (project_id, unit_id)
);
CREATE INDEX project_introducers_unit ON project_introducers(unit_id);

CREATE TABLE project_attachments (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES projects(id),
    kind         TEXT NOT NULL,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_by   INTEGER REFERENCES users(id),
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX project_attachments_project ON project_attachments(project_id);

-- Every move between stages and statuses, with its day, evidence and reason.
CREATE TABLE project_transitions (
    id            INTEGER PRIMARY KEY,
    project_id    INTEGER NOT NULL REFERENCES projects(id),
    action        TEXT NOT NULL,
    from_stage    TEXT NOT NULL,
    to_stage      TEXT NOT NULL,
    from_status   TEXT NOT NULL,
    to_status     TEXT NOT NULL,
    on_date       TEXT NOT NULL,
    evidence      TEXT NOT NULL DEFAULT '',
    attachment_id INTEGER REFERENCES project_attachments(id),
    reason        TEXT NOT NULL DEFAULT '',
    by_user_id    INTEGER REFERENCES users(id),
    at            TIMESTAMP NOT NULL
);
CREATE INDEX project_transitions_project ON project_transitions(project_id);

CREATE TABLE tracking_records (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    kind       TEXT NOT NULL,
    on_date    TEXT NOT NULL,
    summary    TEXT NOT NULL,
    next_step  TEXT NOT NULL DEFAULT '',
    next_on    TEXT,
    by_user_id INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX tracking_records_project ON tracking_records(project_id, on_date);

CREATE TABLE project_requests (
    id            INTEGER PRIMARY KEY,
    project_id    INTEGER NOT NULL REFERENCES projects(id),
    title         TEXT NOT NULL,
    detail        TEXT NOT NULL DEFAULT '',
    owner_unit_id INTEGER REFERENCES units(id),
    deadline      TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'open',
    resolution    TEXT NOT NULL DEFAULT '',
    resolved_on   TEXT,
    created_by    INTEGER REFERENCES users(id),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX project_requests_project ON project_requests(project_id);
CREATE INDEX project_requests_open ON project_requests(status, deadline);

-- Settings the administrators change (warning thresholds …), one JSON value per key.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL
);

-- Which default permissions each built-in role has been given, so that a
-- new capability's permissions reach existing roles exactly once.
CREATE TABLE builtin_grants (
    role_code  TEXT NOT NULL,
    permission TEXT NOT NULL,
    PRIMARY KEY (role_code, permission)
);

-- +goose Down
SELECT 1;
