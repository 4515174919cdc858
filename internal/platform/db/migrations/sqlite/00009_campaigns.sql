-- +goose Up
-- Campaigns and the channels, people and information behind the
-- projects (R6, R7, R8, R10, R11). Amounts are integer hundredths of 万元.

-- A campaign: a fair, a themed trip, a signing ceremony or an online event.
CREATE TABLE campaigns (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL,
    kind               TEXT NOT NULL,
    starts_on          TEXT NOT NULL,
    ends_on            TEXT NOT NULL,
    place              TEXT NOT NULL DEFAULT '',
    source_region      TEXT NOT NULL DEFAULT '',
    organiser_unit_id  INTEGER NOT NULL REFERENCES units(id),
    participants       TEXT NOT NULL DEFAULT '',
    target_enterprises TEXT NOT NULL DEFAULT '',
    budget             INTEGER NOT NULL DEFAULT 0,
    spend              INTEGER,
    summary            TEXT NOT NULL DEFAULT '',
    created_by         INTEGER REFERENCES users(id),
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX campaigns_starts ON campaigns(starts_on);
CREATE INDEX campaigns_organiser ON campaigns(organiser_unit_id);

-- The units that took part in a campaign besides its organiser.
CREATE TABLE campaign_units (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (campaign_id, unit_id)
);

-- Advisors (招商顾问): experts and heads of enterprises and associations.
CREATE TABLE advisors (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    organisation   TEXT NOT NULL DEFAULT '',
    title          TEXT NOT NULL DEFAULT '',
    region         TEXT NOT NULL DEFAULT '',
    letter_no      TEXT NOT NULL DEFAULT '',
    appointed_on   TEXT NOT NULL,
    term_ends_on   TEXT NOT NULL,
    contact        TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'active',
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);

-- Partner organisations: chambers, consultancies, research institutes, intermediaries.
CREATE TABLE partners (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL,
    kind                TEXT NOT NULL,
    region              TEXT NOT NULL DEFAULT '',
    agreement_no        TEXT NOT NULL DEFAULT '',
    agreement_signed_on TEXT,
    agreement_ends_on   TEXT,
    contact             TEXT NOT NULL DEFAULT '',
    note                TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL DEFAULT 'active',
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);

-- A project's campaign and who referred it.
ALTER TABLE projects ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id);
ALTER TABLE projects ADD COLUMN referrer_advisor_id INTEGER REFERENCES advisors(id);
ALTER TABLE projects ADD COLUMN referrer_partner_id INTEGER REFERENCES partners(id);
CREATE INDEX projects_campaign ON projects(campaign_id);
CREATE INDEX projects_referrer_advisor ON projects(referrer_advisor_id);
CREATE INDEX projects_referrer_partner ON projects(referrer_partner_id);

-- Notices from the commission office to units, and who read them when.
CREATE TABLE notices (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    from_unit_id INTEGER NOT NULL REFERENCES units(id),
    sent_by      INTEGER REFERENCES users(id),
    sent_at      TIMESTAMP NOT NULL
);
CREATE INDEX notices_sent ON notices(sent_at);
CREATE TABLE notice_units (
    notice_id INTEGER NOT NULL REFERENCES notices(id),
    unit_id   INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (notice_id, unit_id)
);
CREATE INDEX notice_units_unit ON notice_units(unit_id);
CREATE TABLE notice_reads (
    notice_id INTEGER NOT NULL REFERENCES notices(id),
    user_id   INTEGER NOT NULL REFERENCES users(id),
    unit_id   INTEGER NOT NULL REFERENCES units(id),
    read_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (notice_id, user_id)
);

-- A unit's monthly situation report (period YYYY-MM).
CREATE TABLE feedback_reports (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    period       TEXT NOT NULL,
    situation    TEXT NOT NULL,
    problems     TEXT NOT NULL DEFAULT '',
    help_needed  TEXT NOT NULL DEFAULT '',
    submitted_by INTEGER REFERENCES users(id),
    submitted_on TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (unit_id, period)
);

-- Investment intelligence: news and cooperation information.
CREATE TABLE intelligence (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    published_on TEXT NOT NULL,
    source       TEXT NOT NULL DEFAULT '',
    summary      TEXT NOT NULL DEFAULT '',
    region       TEXT NOT NULL DEFAULT '',
    enterprises  TEXT NOT NULL DEFAULT '',
    chain_links  TEXT NOT NULL DEFAULT '',
    created_by   INTEGER REFERENCES users(id),
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX intelligence_published ON intelligence(published_on);
-- Which library enterprises an item concerns. No foreign key on purpose: the
-- enterprise library owns its table and wires this link.
CREATE TABLE intelligence_enterprises (
    intelligence_id INTEGER NOT NULL REFERENCES intelligence(id),
    enterprise_id   INTEGER NOT NULL,
    PRIMARY KEY (intelligence_id, enterprise_id)
);
CREATE INDEX intelligence_enterprises_enterprise ON intelligence_enterprises(enterprise_id);

-- Promotion staff of each unit, and outsourced teams (政府购买服务).
CREATE TABLE staff_members (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    name        TEXT NOT NULL,
    position    TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    provider    TEXT NOT NULL DEFAULT '',
    contact     TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'active',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX staff_members_unit ON staff_members(unit_id);
CREATE TABLE trainings (
    id                INTEGER PRIMARY KEY,
    title             TEXT NOT NULL,
    held_on           TEXT NOT NULL,
    place             TEXT NOT NULL DEFAULT '',
    organiser_unit_id INTEGER NOT NULL REFERENCES units(id),
    hours             INTEGER NOT NULL DEFAULT 0,
    summary           TEXT NOT NULL DEFAULT '',
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE TABLE training_attendees (
    training_id INTEGER NOT NULL REFERENCES trainings(id),
    staff_id    INTEGER NOT NULL REFERENCES staff_members(id),
    PRIMARY KEY (training_id, staff_id)
);

-- +goose Down
SELECT 1;
