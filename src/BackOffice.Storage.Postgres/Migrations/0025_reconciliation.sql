-- Reconciliation: the firm's accounts at custodians and banks (reference data), the statement
-- files they send, kept exactly as received, the statements read from them, each run that
-- compared a statement with the books, and the breaks those runs found with their history.

-- An external account we reconcile: a custodian's safekeeping account (kind 1, custody) or a
-- bank's cash account (kind 2, cash; an account number may be both), the source that reports on it, the ledger account it is
-- compared with (a control account includes its sub-ledgers) and how loosely cash is matched.
CREATE TABLE statement_accounts (
    account             text    NOT NULL,
    source              text    NOT NULL,
    kind                bigint  NOT NULL CHECK (kind IN (1, 2)),
    ledger_account      text    NOT NULL,
    currency            text,
    name                text    NOT NULL,
    amount_tolerance    text    NOT NULL,
    date_tolerance_days bigint  NOT NULL,
    match_by_reference  bigint  NOT NULL,
    group_max           bigint  NOT NULL,
    PRIMARY KEY (account, kind)
);

-- A file as received: imported once (content_hash), by the audited command audit_sequence.
CREATE TABLE statement_files (
    id             bigint PRIMARY KEY,
    name           text    NOT NULL,
    format         text    NOT NULL,
    content_hash   bytea    NOT NULL UNIQUE,
    content        bytea    NOT NULL,
    received_at    bigint  NOT NULL,
    audit_sequence bigint  NOT NULL
);

-- One statement of a file (a message may carry several: position_in_file, from 0). A later
-- statement for the same account, kind, currency and date supersedes it (superseded_by); both stay.
-- period_start: the first day a cash statement covers (null for custody).
CREATE TABLE statements (
    id               bigint PRIMARY KEY,
    file_id          bigint  NOT NULL REFERENCES statement_files (id),
    position_in_file bigint  NOT NULL,
    source           text    NOT NULL,
    kind             bigint  NOT NULL,
    statement_id     text    NOT NULL,
    account          text    NOT NULL,
    statement_date   date    NOT NULL,
    basis            bigint  NOT NULL,
    period_start     date   ,
    currency         text,
    line_count       bigint  NOT NULL,
    superseded_by    bigint,
    audit_sequence   bigint  NOT NULL
);
CREATE INDEX statements_date ON statements (statement_date, account);

-- A statement compared with the books. findings_hash keys the command: the same differences
-- found again are a replay.
CREATE TABLE recon_runs (
    id             bigint PRIMARY KEY,
    statement_row  bigint  NOT NULL REFERENCES statements (id),
    run_date       date    NOT NULL,
    source         text    NOT NULL,
    account        text    NOT NULL,
    kind           bigint  NOT NULL,
    compared       bigint  NOT NULL,
    matched        bigint  NOT NULL,
    break_count    bigint  NOT NULL,
    actor          text    NOT NULL,
    run_at         bigint  NOT NULL,
    audit_sequence bigint  NOT NULL
);
CREATE INDEX recon_runs_date ON recon_runs (run_date);

-- A difference, from the run that first found it (first_seen) to the last that still did
-- (last_seen). break_key identifies it from day to day, so a break that reappears keeps its age;
-- note is the latest an operator wrote (every note is in the events).
CREATE TABLE recon_breaks (
    id          bigint PRIMARY KEY,
    break_key   text    NOT NULL UNIQUE,
    source      text    NOT NULL,
    account     text    NOT NULL,
    kind        bigint  NOT NULL,
    type        bigint  NOT NULL,
    subject     text    NOT NULL,
    standing    bigint  NOT NULL,
    ours        text    NOT NULL,
    theirs      text    NOT NULL,
    break_date  date    NOT NULL,
    first_seen  date    NOT NULL,
    last_seen   date    NOT NULL,
    status      bigint  NOT NULL,
    owner       text,
    cause       text,
    note        text,
    detail      text    NOT NULL,
    last_run    bigint  NOT NULL
);
CREATE INDEX recon_breaks_account ON recon_breaks (account, kind);
CREATE INDEX recon_breaks_status ON recon_breaks (status, id);

-- Everything that happened to a break, in order: found, seen again, assigned, explained,
-- resolved (by hand, by an adjusting entry, or because a run found it agreed), reopened.
CREATE TABLE recon_break_events (
    break_id       bigint  NOT NULL,
    at             bigint  NOT NULL,
    actor          text    NOT NULL,
    action         text    NOT NULL,
    note           text,
    run_id         bigint,
    audit_sequence bigint  NOT NULL
);
CREATE INDEX recon_break_events_break ON recon_break_events (break_id);
