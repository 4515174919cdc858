-- +goose Up
-- Most projects come from no campaign and no advisor or partner: index only
-- those that do, so that registering a project (a ledger import registers
-- fifty thousand) does not write three index entries for NULL. A lookup by
-- `campaign_id = ?` implies NOT NULL, so both engines use these.
DROP INDEX projects_campaign;
DROP INDEX projects_referrer_advisor;
DROP INDEX projects_referrer_partner;
CREATE INDEX projects_campaign ON projects(campaign_id) WHERE campaign_id IS NOT NULL;
CREATE INDEX projects_referrer_advisor ON projects(referrer_advisor_id) WHERE referrer_advisor_id IS NOT NULL;
CREATE INDEX projects_referrer_partner ON projects(referrer_partner_id) WHERE referrer_partner_id IS NOT NULL;

-- The forecast's conversion rates count, over every project that began
-- half a year ago or more, which signed and which negotiated: a covering
-- index answers that without reading the projects' wide rows (420 → a few
-- ms of a cockpit request on SQLite at 100,000 projects).
CREATE INDEX projects_rates ON projects(lead_on, merged_into_id, negotiating_on, signed_on);

-- +goose Down
SELECT 1;
