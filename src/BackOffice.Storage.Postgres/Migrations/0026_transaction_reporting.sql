-- MiFIR transaction reporting: the firm's reporting settings and its clients' identities
-- (reference data), each report file as written (kept byte for byte), each record of it with
-- where it stands with the regulator, and each feedback file received with what it said of
-- each record.

-- One row: the executing and submitting entities, the branch, who decides and executes, the go-live date.
CREATE TABLE mifir_firm (
    id                    bigint  PRIMARY KEY CHECK (id = 1),
    executing_entity_lei  text    NOT NULL,
    submitting_entity_lei text    NOT NULL,
    branch_country        text    NOT NULL,
    investment_decision   text,
    execution             text    NOT NULL,
    reporting_from        date    NOT NULL
);

-- How a client account is named as buyer or seller; id_type 1 LEI, 2 NIDN, 3 CCPT, 4 CONCAT.
CREATE TABLE mifir_clients (
    account            text    PRIMARY KEY,
    id_type            bigint  NOT NULL,
    id                 text    NOT NULL,
    first_name         text,
    surname            text,
    birth_date         date,
    branch_country     text,
    decision_maker_lei text,
    discretionary      bigint  NOT NULL
);

-- A report file as written, by the audited command audit_sequence; content_hash keys the command.
CREATE TABLE mifir_files (
    id             bigint  PRIMARY KEY,
    name           text    NOT NULL UNIQUE,
    business_date  date    NOT NULL,
    content_hash   bytea   NOT NULL UNIQUE,
    content        bytea   NOT NULL,
    record_count   bigint  NOT NULL,
    created_at     bigint  NOT NULL,
    audit_sequence bigint  NOT NULL
);
CREATE INDEX mifir_files_date ON mifir_files (business_date, id);

-- A record of a file: action 1 new, 2 cancel; status 1 sent, 2 received, 3 pending, 4 accepted,
-- 5 rejected (the last feedback's word, with its reason; the history is in mifir_record_events).
CREATE TABLE mifir_records (
    id             bigint  PRIMARY KEY,
    file_id        bigint  NOT NULL REFERENCES mifir_files (id),
    transaction_id text    NOT NULL,
    action         bigint  NOT NULL CHECK (action IN (1, 2)),
    trade_id       bigint  NOT NULL,
    version        bigint  NOT NULL,
    status         bigint  NOT NULL,
    reason         text    NOT NULL,
    UNIQUE (file_id, transaction_id)
);
CREATE INDEX mifir_records_trade ON mifir_records (trade_id, id);
CREATE INDEX mifir_records_transaction ON mifir_records (transaction_id, id);

-- A feedback file (auth.031) as received: imported once (content_hash).
CREATE TABLE mifir_feedback (
    id             bigint  PRIMARY KEY,
    name           text    NOT NULL,
    content_hash   bytea   NOT NULL UNIQUE,
    content        bytea   NOT NULL,
    received_at    bigint  NOT NULL,
    audit_sequence bigint  NOT NULL
);

-- What each feedback said of each record.
CREATE TABLE mifir_record_events (
    record_id      bigint  NOT NULL REFERENCES mifir_records (id),
    feedback_id    bigint  NOT NULL REFERENCES mifir_feedback (id),
    status         bigint  NOT NULL,
    reason         text    NOT NULL,
    audit_sequence bigint  NOT NULL,
    PRIMARY KEY (record_id, feedback_id)
);
