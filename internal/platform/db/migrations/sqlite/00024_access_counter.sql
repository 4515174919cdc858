-- +goose Up
-- counters('access') moves with every write that changes who a session is
-- or what it may see: a session ended, revoked or confirmed; a user's
-- name, unit, status, password or second factor; roles and their grants;
-- units (the data scopes are unit trees); settings (the sign-in policy,
-- warning thresholds). A server keeps sessions, scopes and settings in memory while the value stays (db.DB.Access), so a revocation
-- reaches every server over the database with its next request. Triggers,
-- so that no write path can forget it. A sign-in's failure count and a
-- session's last_seen_at do not move it.
INSERT INTO counters (name, value) VALUES ('access', 0);
-- +goose StatementBegin
CREATE TRIGGER access_sessions_update AFTER UPDATE OF user_id, csrf_token, expires_at, revoked_at, pending ON sessions
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'access'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER access_sessions_delete AFTER DELETE ON sessions
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'access'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER access_users_update AFTER UPDATE OF username, display_name, unit_id, status, must_change_password,
    password_changed_at, password_hash, totp_enabled ON users
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'access'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER access_users_delete AFTER DELETE ON users
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'access'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER access_user_roles_insert AFTER INSERT ON user_roles
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'access'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER access_user_roles_update AFTER UPDATE ON user_roles
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'access'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER access_user_roles_delete AFTER DELETE ON user_roles
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'access'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER access_roles_update AFTER UPDATE ON roles
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'access'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER access_roles_delete AFTER DELETE ON roles
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'access'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER access_units_insert AFTER INSERT ON units
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'access'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER access_units_update AFTER UPDATE ON units
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'access'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER access_units_delete AFTER DELETE ON units
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'access'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER access_settings_insert AFTER INSERT ON settings
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'access'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER access_settings_update AFTER UPDATE ON settings
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'access'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER access_settings_delete AFTER DELETE ON settings
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'access'; END;
-- +goose StatementEnd

-- +goose Down
SELECT 1;
