-- MiFIR transaction reporting: the firm's reporting settings and its clients' identities
-- (reference data), each report file as written (kept byte for byte), each record of it with
-- where it stands with the regulator, and each feedback file received with what it said of
-- each record.

-- One row: the executing and submitting entities, the branch, who decides and executes, the go-live date.
CREATE TABLE mifir_firm (
    id                    INTEGER PRIMARY KEY CHECK (id = 1),
    executing_entity_lei  TEXT    NOT NULL,
    submitting_entity_lei TEXT    NOT NULL,
    branch_country        TEXT    NOT NULL,
    investment_decision   TEXT,
    execution             TEXT    NOT NULL,
    reporting_from        TEXT    NOT NULL
);

-- How a client account is named as buyer or seller; id_type 1 LEI, 2 NIDN, 3 CCPT, 4 CONCAT.
CREATE TABLE mifir_clients (
    account            TEXT    PRIMARY KEY,
    id_type            INTEGER NOT NULL,
    id                 TEXT    NOT NULL,
    first_name         TEXT,
    surname            TEXT,
    birth_date         TEXT,
    branch_country     TEXT,
    decision_maker_lei TEXT,
    discretionary      INTEGER NOT NULL
);

-- A report file as written, by the audited command audit_sequence; content_hash keys the command.
CREATE TABLE mifir_files (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL UNIQUE,
    business_date  TEXT    NOT NULL,
    content_hash   BLOB    NOT NULL UNIQUE,
    content        BLOB    NOT NULL,
    record_count   INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    audit_sequence INTEGER NOT NULL
);
CREATE INDEX mifir_files_date ON mifir_files (business_date, id);

-- A record of a file: action 1 new, 2 cancel; status 1 sent, 2 received, 3 pending, 4 accepted,
-- 5 rejected (the last feedback's word, with its reason; the history is in mifir_record_events).
CREATE TABLE mifir_records (
    id             INTEGER PRIMARY KEY,
    file_id        INTEGER NOT NULL REFERENCES mifir_files (id),
    transaction_id TEXT    NOT NULL,
    action         INTEGER NOT NULL CHECK (action IN (1, 2)),
    trade_id       INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    status         INTEGER NOT NULL,
    reason         TEXT    NOT NULL,
    UNIQUE (file_id, transaction_id)
);
CREATE INDEX mifir_records_trade ON mifir_records (trade_id, id);
CREATE INDEX mifir_records_transaction ON mifir_records (transaction_id, id);

-- A feedback file (auth.031) as received: imported once (content_hash).
CREATE TABLE mifir_feedback (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL,
    content_hash   BLOB    NOT NULL UNIQUE,
    content        BLOB    NOT NULL,
    received_at    INTEGER NOT NULL,
    audit_sequence INTEGER NOT NULL
);

-- What each feedback said of each record.
CREATE TABLE mifir_record_events (
    record_id      INTEGER NOT NULL REFERENCES mifir_records (id),
    feedback_id    INTEGER NOT NULL REFERENCES mifir_feedback (id),
    status         INTEGER NOT NULL,
    reason         TEXT    NOT NULL,
    audit_sequence INTEGER NOT NULL,
    PRIMARY KEY (record_id, feedback_id)
);
