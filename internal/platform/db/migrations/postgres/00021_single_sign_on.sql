-- +goose Up
-- Single sign-on: the subject ("sub") the city's identity platform knows the
-- user by, bound on the first sign-in through it (when the operator allows
-- binding by the username claim). NULL: never signed in that way.
ALTER TABLE users ADD COLUMN sso_subject TEXT;
CREATE UNIQUE INDEX users_sso_subject ON users(sso_subject);

-- How a session was signed in: 'password' or 'sso'.
ALTER TABLE sessions ADD COLUMN method TEXT NOT NULL DEFAULT 'password';

-- +goose Down
SELECT 1;
