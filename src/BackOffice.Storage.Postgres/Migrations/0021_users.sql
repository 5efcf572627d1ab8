-- The people and systems that use the server. Users and keys change only through audited
-- commands; a key is stored as its SHA-256, never as itself.
CREATE TABLE users (
    name text PRIMARY KEY,
    display_name text NOT NULL,
    role bigint NOT NULL,
    branch text,
    active bigint NOT NULL,
    password_hash text,
    changed_sequence bigint NOT NULL
);

CREATE TABLE api_keys (
    id text PRIMARY KEY,
    user_name text NOT NULL REFERENCES users (name),
    prefix text NOT NULL,
    key_hash bytea NOT NULL UNIQUE,
    revoked bigint NOT NULL,
    issued_sequence bigint NOT NULL,
    revoked_sequence bigint
);
