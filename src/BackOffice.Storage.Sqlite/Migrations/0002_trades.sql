-- Trade capture: fee schedules and standing settlement instructions (reference data), booked
-- trade versions (immutable facts) and the exceptions queue of streamed messages that failed.

CREATE TABLE fee_rules (
    id               TEXT PRIMARY KEY,
    code             TEXT    NOT NULL,
    kind             INTEGER NOT NULL,
    account          TEXT,
    market           TEXT,
    asset_class      INTEGER,
    issuer_country   TEXT,
    side             INTEGER,
    method           INTEGER NOT NULL,
    rate             TEXT    NOT NULL,
    minimum          TEXT,
    maximum          TEXT,
    currency         TEXT    NOT NULL REFERENCES currencies (code),
    rounding         INTEGER NOT NULL,
    effective_from   TEXT    NOT NULL,
    effective_to     TEXT,
    ledger_account   TEXT
);

CREATE TABLE settlement_instructions (
    id                 TEXT PRIMARY KEY,
    counterparty       TEXT NOT NULL REFERENCES parties (lei),
    market             TEXT,
    asset_class        INTEGER,
    place_of_settlement TEXT NOT NULL,
    depository_account TEXT NOT NULL,
    agent_bic          TEXT NOT NULL,
    effective_from     TEXT NOT NULL
);

-- One row per version of a trade. The columns that queries filter on are columns; the whole
-- version (economics, charges, SSI) is the document, written once and never changed.
CREATE TABLE trade_versions (
    trade_id          INTEGER NOT NULL,
    version           INTEGER NOT NULL,
    audit_sequence    INTEGER NOT NULL,
    action            INTEGER NOT NULL,
    status            INTEGER NOT NULL,
    source            TEXT    NOT NULL,
    source_id         TEXT    NOT NULL,
    payload_hash      BLOB    NOT NULL,
    account           TEXT    NOT NULL,
    isin              TEXT    NOT NULL,
    trade_date        TEXT    NOT NULL,
    settlement_date   TEXT    NOT NULL,
    entry_id          INTEGER,
    reversal_entry_id INTEGER,
    document          TEXT    NOT NULL,
    source_message    TEXT    NOT NULL,
    PRIMARY KEY (trade_id, version)
) WITHOUT ROWID;
-- Every message is booked once: its source and id name it for ever.
CREATE UNIQUE INDEX trade_versions_source_id ON trade_versions (source, source_id);

CREATE TABLE trade_exceptions (
    id             INTEGER PRIMARY KEY,
    audit_sequence INTEGER NOT NULL,
    source         TEXT    NOT NULL,
    source_id      TEXT,
    rule           TEXT    NOT NULL,
    message        TEXT    NOT NULL,
    location       TEXT    NOT NULL,
    request        TEXT,
    raw_message    TEXT    NOT NULL
);

-- How an exception was closed: resubmitted (booked as a trade) or discarded, once.
CREATE TABLE trade_exception_actions (
    exception_id   INTEGER PRIMARY KEY,
    audit_sequence INTEGER NOT NULL,
    action         TEXT    NOT NULL,
    note           TEXT    NOT NULL,
    trade_id       INTEGER
);

CREATE TRIGGER trade_versions_no_update BEFORE UPDATE ON trade_versions
BEGIN SELECT RAISE(ABORT, 'trade versions are immutable; book a correction or a bust'); END;
CREATE TRIGGER trade_versions_no_delete BEFORE DELETE ON trade_versions
BEGIN SELECT RAISE(ABORT, 'trade versions are immutable; book a correction or a bust'); END;
CREATE TRIGGER trade_exceptions_no_update BEFORE UPDATE ON trade_exceptions
BEGIN SELECT RAISE(ABORT, 'exceptions are immutable; resubmit or discard them'); END;
CREATE TRIGGER trade_exceptions_no_delete BEFORE DELETE ON trade_exceptions
BEGIN SELECT RAISE(ABORT, 'exceptions are immutable; resubmit or discard them'); END;
CREATE TRIGGER trade_exception_actions_no_update BEFORE UPDATE ON trade_exception_actions
BEGIN SELECT RAISE(ABORT, 'exception actions are immutable'); END;
CREATE TRIGGER trade_exception_actions_no_delete BEFORE DELETE ON trade_exception_actions
BEGIN SELECT RAISE(ABORT, 'exception actions are immutable'); END;
