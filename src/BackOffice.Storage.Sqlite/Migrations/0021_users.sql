-- The people and systems that use the server. Users and keys change only through audited
-- commands; a key is stored as its SHA-256, never as itself.
CREATE TABLE users (
    name TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    role INTEGER NOT NULL,
    branch TEXT,
    active INTEGER NOT NULL,
    password_hash TEXT,
    changed_sequence INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users (name),
    prefix TEXT NOT NULL,
    key_hash BLOB NOT NULL UNIQUE,
    revoked INTEGER NOT NULL,
    issued_sequence INTEGER NOT NULL,
    revoked_sequence INTEGER
);
