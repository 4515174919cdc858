-- +goose Up
-- When a lead or negotiation is expected to sign: the pipeline the forecast
-- of the year-end total is made from.
ALTER TABLE projects ADD COLUMN expected_sign_on DATE;

-- +goose Down
SELECT 1;
