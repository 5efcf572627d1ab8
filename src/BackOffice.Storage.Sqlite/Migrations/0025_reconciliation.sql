-- Reconciliation: the firm's accounts at custodians and banks (reference data), the statement
-- files they send, kept exactly as received, the statements read from them, each run that
-- compared a statement with the books, and the breaks those runs found with their history.

-- An external account we reconcile: a custodian's safekeeping account (kind 1, custody) or a
-- bank's cash account (kind 2, cash; an account number may be both), the source that reports on it, the ledger account it is
-- compared with (a control account includes its sub-ledgers) and how loosely cash is matched.
CREATE TABLE statement_accounts (
    account             TEXT    NOT NULL,
    source              TEXT    NOT NULL,
    kind                INTEGER NOT NULL CHECK (kind IN (1, 2)),
    ledger_account      TEXT    NOT NULL,
    currency            TEXT,
    name                TEXT    NOT NULL,
    amount_tolerance    TEXT    NOT NULL,
    date_tolerance_days INTEGER NOT NULL,
    match_by_reference  INTEGER NOT NULL,
    group_max           INTEGER NOT NULL,
    PRIMARY KEY (account, kind)
);

-- A file as received: imported once (content_hash), by the audited command audit_sequence.
CREATE TABLE statement_files (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL,
    format         TEXT    NOT NULL,
    content_hash   BLOB    NOT NULL UNIQUE,
    content        BLOB    NOT NULL,
    received_at    INTEGER NOT NULL,
    audit_sequence INTEGER NOT NULL
);

-- One statement of a file (a message may carry several: position_in_file, from 0). A later
-- statement for the same account, kind, currency and date supersedes it (superseded_by); both stay.
-- period_start: the first day a cash statement covers (null for custody).
CREATE TABLE statements (
    id               INTEGER PRIMARY KEY,
    file_id          INTEGER NOT NULL REFERENCES statement_files (id),
    position_in_file INTEGER NOT NULL,
    source           TEXT    NOT NULL,
    kind             INTEGER NOT NULL,
    statement_id     TEXT    NOT NULL,
    account          TEXT    NOT NULL,
    statement_date   TEXT    NOT NULL,
    basis            INTEGER NOT NULL,
    period_start     TEXT   ,
    currency         TEXT,
    line_count       INTEGER NOT NULL,
    superseded_by    INTEGER,
    audit_sequence   INTEGER NOT NULL
);
CREATE INDEX statements_date ON statements (statement_date, account);

-- A statement compared with the books. findings_hash keys the command: the same differences
-- found again are a replay.
CREATE TABLE recon_runs (
    id             INTEGER PRIMARY KEY,
    statement_row  INTEGER NOT NULL REFERENCES statements (id),
    run_date       TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    account        TEXT    NOT NULL,
    kind           INTEGER NOT NULL,
    compared       INTEGER NOT NULL,
    matched        INTEGER NOT NULL,
    break_count    INTEGER NOT NULL,
    actor          TEXT    NOT NULL,
    run_at         INTEGER NOT NULL,
    audit_sequence INTEGER NOT NULL
);
CREATE INDEX recon_runs_date ON recon_runs (run_date);

-- A difference, from the run that first found it (first_seen) to the last that still did
-- (last_seen). break_key identifies it from day to day, so a break that reappears keeps its age;
-- note is the latest an operator wrote (every note is in the events).
CREATE TABLE recon_breaks (
    id          INTEGER PRIMARY KEY,
    break_key   TEXT    NOT NULL UNIQUE,
    source      TEXT    NOT NULL,
    account     TEXT    NOT NULL,
    kind        INTEGER NOT NULL,
    type        INTEGER NOT NULL,
    subject     TEXT    NOT NULL,
    standing    INTEGER NOT NULL,
    ours        TEXT    NOT NULL,
    theirs      TEXT    NOT NULL,
    break_date  TEXT    NOT NULL,
    first_seen  TEXT    NOT NULL,
    last_seen   TEXT    NOT NULL,
    status      INTEGER NOT NULL,
    owner       TEXT,
    cause       TEXT,
    note        TEXT,
    detail      TEXT    NOT NULL,
    last_run    INTEGER NOT NULL
);
CREATE INDEX recon_breaks_account ON recon_breaks (account, kind);
CREATE INDEX recon_breaks_status ON recon_breaks (status, id);

-- Everything that happened to a break, in order: found, seen again, assigned, explained,
-- resolved (by hand, by an adjusting entry, or because a run found it agreed), reopened.
CREATE TABLE recon_break_events (
    break_id       INTEGER NOT NULL,
    at             INTEGER NOT NULL,
    actor          TEXT    NOT NULL,
    action         TEXT    NOT NULL,
    note           TEXT,
    run_id         INTEGER,
    audit_sequence INTEGER NOT NULL
);
CREATE INDEX recon_break_events_break ON recon_break_events (break_id);
