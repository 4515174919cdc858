-- +goose Up
-- The target-enterprise library (招商目标企业库). Amounts are integer hundredths
-- of 万元. Name search does not use SQL: an in-memory bigram index (package
-- enterprise) is built from this table and kept current through `gen`: every
-- write stamps its rows with the next value of counters('enterprise'), so any
-- server catches up by reading the rows stamped after the generation it holds.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('enterprise', 0);

CREATE TABLE enterprises (
    id                 INTEGER PRIMARY KEY,
    credit_code        TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    former_names       TEXT NOT NULL DEFAULT '',
    industry_code      TEXT NOT NULL DEFAULT '',
    region_code        TEXT NOT NULL DEFAULT '',
    registered_capital INTEGER NOT NULL DEFAULT 0,
    founded_on         TEXT,
    revenue            INTEGER,
    staff              INTEGER,
    listing_code       TEXT NOT NULL DEFAULT '',
    tags               TEXT NOT NULL DEFAULT '',
    is_target          BOOLEAN NOT NULL DEFAULT 1,
    owner_unit_id      INTEGER REFERENCES units(id),
    status             TEXT NOT NULL DEFAULT 'not_contacted',
    expanded_on        TEXT,
    archived           BOOLEAN NOT NULL DEFAULT 0,
    gen                INTEGER NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX enterprises_gen ON enterprises(gen);

CREATE TABLE enterprise_intentions (
    id            INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    content       TEXT NOT NULL,
    place         TEXT NOT NULL DEFAULT '',
    amount        INTEGER NOT NULL DEFAULT 0,
    heard_on      TEXT NOT NULL,
    source        TEXT NOT NULL DEFAULT '',
    created_by    INTEGER REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX enterprise_intentions_ent ON enterprise_intentions(enterprise_id, heard_on);

CREATE TABLE enterprise_visits (
    id            INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    visited_on    TEXT NOT NULL,
    visitors      TEXT NOT NULL,
    unit_id       INTEGER REFERENCES units(id),
    outcome       TEXT NOT NULL DEFAULT '',
    next_step     TEXT NOT NULL DEFAULT '',
    next_on       TEXT,
    created_by    INTEGER REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX enterprise_visits_ent ON enterprise_visits(enterprise_id, visited_on);

-- Background jobs (imports). Progress lives here so that any server can answer.
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    filename    TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    total       INTEGER NOT NULL DEFAULT 0,
    processed   INTEGER NOT NULL DEFAULT 0,
    result      TEXT NOT NULL DEFAULT '',
    created_by  INTEGER REFERENCES users(id),
    created_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);

-- Industry chains: chain → segments (upstream/midstream/downstream) → links →
-- sub-links, all in chain_nodes; a link is mapped to industry codes and
-- keywords (comma-separated) that decide which enterprises and projects fit it.
CREATE TABLE chains (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    sort        INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE chain_nodes (
    id             INTEGER PRIMARY KEY,
    chain_id       INTEGER NOT NULL REFERENCES chains(id),
    parent_id      INTEGER REFERENCES chain_nodes(id),
    kind           TEXT NOT NULL,
    stage          TEXT NOT NULL DEFAULT '',
    name           TEXT NOT NULL,
    industry_codes TEXT NOT NULL DEFAULT '',
    keywords       TEXT NOT NULL DEFAULT '',
    sort           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX chain_nodes_chain ON chain_nodes(chain_id, sort);

CREATE TABLE project_chain_links (
    project_id INTEGER NOT NULL REFERENCES projects(id),
    node_id    INTEGER NOT NULL REFERENCES chain_nodes(id),
    PRIMARY KEY (project_id, node_id)
);
CREATE INDEX project_chain_links_node ON project_chain_links(node_id);

-- +goose Down
SELECT 1;
