-- +goose Up
-- Baselines (投资效益底线): rule sets by park and industry, each version in
-- force from its effective date, so that a screening is judged by the rules
-- of its day and can be shown again exactly.
CREATE TABLE baseline_sets (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL,
    park_unit_id      INTEGER REFERENCES units(id),
    industry_prefixes TEXT NOT NULL DEFAULT '',
    effective_from    TEXT NOT NULL,
    is_default        BOOLEAN NOT NULL DEFAULT 0,
    note              TEXT NOT NULL DEFAULT '',
    created_by        INTEGER REFERENCES users(id),
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX baseline_sets_park ON baseline_sets(park_unit_id, effective_from);

CREATE TABLE baseline_rules (
    id        INTEGER PRIMARY KEY,
    set_id    INTEGER NOT NULL REFERENCES baseline_sets(id),
    indicator TEXT NOT NULL,
    op        TEXT NOT NULL,
    value     INTEGER NOT NULL,
    note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX baseline_rules_set ON baseline_rules(set_id);

-- The negative list for foreign investment, kept as editable data.
CREATE TABLE negative_list (
    id           INTEGER PRIMARY KEY,
    edition      TEXT NOT NULL,
    no           INTEGER NOT NULL,
    sector       TEXT NOT NULL,
    measure      TEXT NOT NULL,
    section      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    verification TEXT NOT NULL DEFAULT '',
    enabled      BOOLEAN NOT NULL DEFAULT 1,
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (edition, no)
);

-- A screening (论证评估) of a project: its inputs, the results it got
-- (frozen on submission), the checklist and the review.
CREATE TABLE evaluations (
    id            INTEGER PRIMARY KEY,
    project_id    INTEGER NOT NULL REFERENCES projects(id),
    status        TEXT NOT NULL DEFAULT 'draft',
    evaluated_on  TEXT NOT NULL,
    inputs_json   TEXT NOT NULL,
    checklist_json TEXT NOT NULL DEFAULT '{}',
    results_json  TEXT NOT NULL DEFAULT '',
    verdict       TEXT NOT NULL DEFAULT '',
    conditions    TEXT NOT NULL DEFAULT '',
    set_id        INTEGER REFERENCES baseline_sets(id),
    created_by    INTEGER REFERENCES users(id),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX evaluations_project ON evaluations(project_id, status);

CREATE TABLE evaluation_reviews (
    id            INTEGER PRIMARY KEY,
    evaluation_id INTEGER NOT NULL REFERENCES evaluations(id),
    action        TEXT NOT NULL,
    comment       TEXT NOT NULL DEFAULT '',
    by_user_id    INTEGER REFERENCES users(id),
    by_name       TEXT NOT NULL DEFAULT '',
    at            TIMESTAMP NOT NULL
);
CREATE INDEX evaluation_reviews_eval ON evaluation_reviews(evaluation_id);

-- +goose Down
SELECT 1;
