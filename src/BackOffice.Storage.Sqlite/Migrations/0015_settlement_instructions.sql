-- Settlement instructions the firm sent, their lifecycle and the penalties they accrued.
-- An instruction's row carries what was instructed (never changed) and its current state
-- (status, settled so far, last reason), which only instruction_events move: every change of
-- state is an immutable event row written by the audited command that caused it. The tables are
-- clustered on their keys (WITHOUT ROWID): a busy day inserts a million rows into each.
CREATE TABLE instructions (
    tx_id                TEXT    PRIMARY KEY,
    type                 INTEGER NOT NULL,
    counterparty         TEXT    NOT NULL,
    isin                 TEXT    NOT NULL,
    nominal              INTEGER NOT NULL,
    currency             TEXT    NOT NULL,
    trade_date           TEXT    NOT NULL,
    settlement_date      TEXT    NOT NULL,
    quantity             TEXT    NOT NULL,
    amount               TEXT    NOT NULL,
    receives_cash        INTEGER NOT NULL,
    price                TEXT    NOT NULL,
    place_of_trade       TEXT    NOT NULL,
    place_of_settlement  TEXT    NOT NULL,
    counterparty_agent   TEXT    NOT NULL,
    counterparty_account TEXT    NOT NULL,
    payload_hash         BLOB    NOT NULL,
    created_sequence     INTEGER NOT NULL,
    status               INTEGER NOT NULL,
    settled_quantity     TEXT    NOT NULL,
    settled_amount       TEXT    NOT NULL,
    reason_code          TEXT,
    matched_on           TEXT,
    updated_sequence     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX instructions_settlement_date ON instructions (settlement_date);

-- The obligations (trade versions) each instruction settles: one for a gross instruction, several for a net.
CREATE TABLE instruction_members (
    tx_id    TEXT    NOT NULL,
    trade_id INTEGER NOT NULL,
    version  INTEGER NOT NULL,
    type     INTEGER NOT NULL,
    quantity TEXT    NOT NULL,
    amount   TEXT    NOT NULL,
    PRIMARY KEY (tx_id, trade_id)
) WITHOUT ROWID;
CREATE INDEX instruction_members_trade ON instruction_members (trade_id);

CREATE TABLE instruction_events (
    audit_sequence   INTEGER NOT NULL,
    ordinal          INTEGER NOT NULL,
    tx_id            TEXT    NOT NULL,
    from_status      INTEGER NOT NULL,
    to_status        INTEGER NOT NULL,
    on_date          TEXT    NOT NULL,
    source           TEXT    NOT NULL,
    message_id       TEXT,
    reason_code      TEXT,
    note             TEXT,
    settled_quantity TEXT    NOT NULL,
    settled_amount   TEXT    NOT NULL,
    matched_on       TEXT,
    PRIMARY KEY (audit_sequence, ordinal)
) WITHOUT ROWID;
CREATE INDEX instruction_events_tx ON instruction_events (tx_id);

-- CSDR cash penalties accrued per instruction and day (each also booked to the ledger).
CREATE TABLE instruction_penalties (
    tx_id            TEXT    NOT NULL,
    penalty_date     TEXT    NOT NULL,
    audit_sequence   INTEGER NOT NULL,
    fail_type        INTEGER NOT NULL,
    side             INTEGER NOT NULL,
    category         INTEGER NOT NULL,
    failing_quantity TEXT    NOT NULL,
    reference_price  TEXT    NOT NULL,
    amount           TEXT    NOT NULL,
    currency         TEXT    NOT NULL,
    PRIMARY KEY (tx_id, penalty_date)
) WITHOUT ROWID;

CREATE TRIGGER instruction_members_no_update BEFORE UPDATE ON instruction_members
BEGIN SELECT RAISE(ABORT, 'instruction members are immutable'); END;
CREATE TRIGGER instruction_members_no_delete BEFORE DELETE ON instruction_members
BEGIN SELECT RAISE(ABORT, 'instruction members are immutable'); END;
CREATE TRIGGER instruction_events_no_update BEFORE UPDATE ON instruction_events
BEGIN SELECT RAISE(ABORT, 'instruction events are immutable'); END;
CREATE TRIGGER instruction_events_no_delete BEFORE DELETE ON instruction_events
BEGIN SELECT RAISE(ABORT, 'instruction events are immutable'); END;
CREATE TRIGGER instruction_penalties_no_update BEFORE UPDATE ON instruction_penalties
BEGIN SELECT RAISE(ABORT, 'accrued penalties are immutable'); END;
CREATE TRIGGER instruction_penalties_no_delete BEFORE DELETE ON instruction_penalties
BEGIN SELECT RAISE(ABORT, 'accrued penalties are immutable'); END;
CREATE TRIGGER instructions_no_delete BEFORE DELETE ON instructions
BEGIN SELECT RAISE(ABORT, 'instructions are kept; cancel them'); END;
