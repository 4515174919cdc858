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

-- +goose Down
SELECT 1;
