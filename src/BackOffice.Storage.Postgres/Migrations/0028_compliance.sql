-- Compliance: sanctions lists as published (each version's files kept byte for byte), the last
-- screening of each of our names, the restricted list and trading limits (reference data), and
-- the alerts that screening and surveillance raise, with what was decided on each.

-- A sanctions list version: imported once (content_hash over its files), by audit_sequence.
CREATE TABLE sanctions_lists (
    id             bigint  PRIMARY KEY,
    source         text    NOT NULL,
    version        text    NOT NULL UNIQUE,
    published_on   date    NOT NULL,
    entry_count    bigint  NOT NULL,
    content_hash   bytea   NOT NULL UNIQUE,
    imported_at    bigint  NOT NULL,
    audit_sequence bigint  NOT NULL
);

-- The files of a version exactly as published (sdn.csv, alt.csv, add.csv, sdn_comments.csv).
CREATE TABLE sanctions_list_files (
    list_id      bigint  NOT NULL REFERENCES sanctions_lists (id),
    name         text    NOT NULL,
    content_hash bytea   NOT NULL,
    content      bytea   NOT NULL,
    PRIMARY KEY (list_id, name)
);

-- The last screening of each name of ours (a client account's holder, a party, a beneficiary):
-- the name as screened, the list version it was screened against, and how many hits it had.
CREATE TABLE screenings (
    subject_kind   text    NOT NULL,
    subject        text    NOT NULL,
    name           text    NOT NULL,
    list_version   text    NOT NULL,
    hits           bigint  NOT NULL,
    screened_at    bigint  NOT NULL,
    audit_sequence bigint  NOT NULL,
    PRIMARY KEY (subject_kind, subject)
);

-- An alert: kind 1 sanctions, 2 wash trade, 3 restricted list, 4 position limit, 5 concentration,
-- 6 unusual size; status 1 open, 2 true match, 3 false positive. alert_key names what it is
-- about, so the same finding is one alert.
CREATE TABLE compliance_alerts (
    id                   bigint  PRIMARY KEY,
    kind                 bigint  NOT NULL,
    alert_key            text    NOT NULL UNIQUE,
    subject_kind         text    NOT NULL,
    subject              text    NOT NULL,
    account              text,
    raised_on            date    NOT NULL,
    detail               text    NOT NULL,
    score                text,
    list_version         text,
    entry_uid            bigint ,
    status               bigint  NOT NULL,
    reason               text    NOT NULL,
    decided_by           text,
    decided_list_version text,
    decided_at           bigint ,
    audit_sequence       bigint  NOT NULL
);
CREATE INDEX compliance_alerts_status ON compliance_alerts (status, id);

-- What happened to an alert: raised, then true-match or false-positive (with the list version in force).
CREATE TABLE compliance_alert_events (
    alert_id       bigint  NOT NULL REFERENCES compliance_alerts (id),
    audit_sequence bigint  NOT NULL,
    action         text    NOT NULL,
    actor          text    NOT NULL,
    note           text    NOT NULL,
    list_version   text,
    PRIMARY KEY (alert_id, audit_sequence)
);

CREATE TABLE restricted_instruments (
    isin       text NOT NULL,
    valid_from date NOT NULL,
    valid_to   date,
    reason     text NOT NULL,
    PRIMARY KEY (isin, valid_from)
);

CREATE TABLE trading_limits (
    account           text NOT NULL,
    instrument        text NOT NULL,
    max_position      text,
    max_concentration text,
    PRIMARY KEY (account, instrument)
);
