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
CREATE FUNCTION access_moved() RETURNS trigger AS $$
BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'access';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER access_sessions AFTER UPDATE OF user_id, csrf_token, expires_at, revoked_at, pending OR DELETE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION access_moved();
CREATE TRIGGER access_users AFTER UPDATE OF username, display_name, unit_id, status, must_change_password,
    password_changed_at, password_hash, totp_enabled OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION access_moved();
CREATE TRIGGER access_user_roles AFTER INSERT OR UPDATE OR DELETE ON user_roles
    FOR EACH STATEMENT EXECUTE FUNCTION access_moved();
CREATE TRIGGER access_roles AFTER UPDATE OR DELETE ON roles
    FOR EACH STATEMENT EXECUTE FUNCTION access_moved();
CREATE TRIGGER access_units AFTER INSERT OR UPDATE OR DELETE ON units
    FOR EACH STATEMENT EXECUTE FUNCTION access_moved();
CREATE TRIGGER access_settings AFTER INSERT OR UPDATE OR DELETE ON settings
    FOR EACH STATEMENT EXECUTE FUNCTION access_moved();

-- +goose Down
SELECT 1;
