-- Compliance: sanctions lists as published (each version's files kept byte for byte), the last
-- screening of each of our names, the restricted list and trading limits (reference data), and
-- the alerts that screening and surveillance raise, with what was decided on each.

-- A sanctions list version: imported once (content_hash over its files), by audit_sequence.
CREATE TABLE sanctions_lists (
    id             INTEGER PRIMARY KEY,
    source         TEXT    NOT NULL,
    version        TEXT    NOT NULL UNIQUE,
    published_on   TEXT    NOT NULL,
    entry_count    INTEGER NOT NULL,
    content_hash   BLOB    NOT NULL UNIQUE,
    imported_at    INTEGER NOT NULL,
    audit_sequence INTEGER NOT NULL
);

-- The files of a version exactly as published (sdn.csv, alt.csv, add.csv, sdn_comments.csv).
CREATE TABLE sanctions_list_files (
    list_id      INTEGER NOT NULL REFERENCES sanctions_lists (id),
    name         TEXT    NOT NULL,
    content_hash BLOB    NOT NULL,
    content      BLOB    NOT NULL,
    PRIMARY KEY (list_id, name)
);

-- The last screening of each name of ours (a client account's holder, a party, a beneficiary):
-- the name as screened, the list version it was screened against, and how many hits it had.
CREATE TABLE screenings (
    subject_kind   TEXT    NOT NULL,
    subject        TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    list_version   TEXT    NOT NULL,
    hits           INTEGER NOT NULL,
    screened_at    INTEGER NOT NULL,
    audit_sequence INTEGER NOT NULL,
    PRIMARY KEY (subject_kind, subject)
);

-- An alert: kind 1 sanctions, 2 wash trade, 3 restricted list, 4 position limit, 5 concentration,
-- 6 unusual size; status 1 open, 2 true match, 3 false positive. alert_key names what it is
-- about, so the same finding is one alert.
CREATE TABLE compliance_alerts (
    id                   INTEGER PRIMARY KEY,
    kind                 INTEGER NOT NULL,
    alert_key            TEXT    NOT NULL UNIQUE,
    subject_kind         TEXT    NOT NULL,
    subject              TEXT    NOT NULL,
    account              TEXT,
    raised_on            TEXT    NOT NULL,
    detail               TEXT    NOT NULL,
    score                TEXT,
    list_version         TEXT,
    entry_uid            INTEGER,
    status               INTEGER NOT NULL,
    reason               TEXT    NOT NULL,
    decided_by           TEXT,
    decided_list_version TEXT,
    decided_at           INTEGER,
    audit_sequence       INTEGER NOT NULL
);
CREATE INDEX compliance_alerts_status ON compliance_alerts (status, id);

-- What happened to an alert: raised, then true-match or false-positive (with the list version in force).
CREATE TABLE compliance_alert_events (
    alert_id       INTEGER NOT NULL REFERENCES compliance_alerts (id),
    audit_sequence INTEGER NOT NULL,
    action         TEXT    NOT NULL,
    actor          TEXT    NOT NULL,
    note           TEXT    NOT NULL,
    list_version   TEXT,
    PRIMARY KEY (alert_id, audit_sequence)
);

CREATE TABLE restricted_instruments (
    isin       TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to   TEXT,
    reason     TEXT NOT NULL,
    PRIMARY KEY (isin, valid_from)
);

CREATE TABLE trading_limits (
    account           TEXT NOT NULL,
    instrument        TEXT NOT NULL,
    max_position      TEXT,
    max_concentration TEXT,
    PRIMARY KEY (account, instrument)
);
