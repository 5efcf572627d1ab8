-- The books: audit trail, journal, balance projection and reference data.
-- Amounts are whole numbers of the asset's smallest unit (see assets.scale): sums are exact.
-- Dates are ISO 8601 text (yyyy-MM-dd); instants are 100 ns ticks since the Unix epoch.

CREATE TABLE chain_head (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    last_sequence    INTEGER NOT NULL,
    last_hash        BLOB    NOT NULL,
    last_entry_id    INTEGER NOT NULL,
    last_recorded_at INTEGER NOT NULL
);
INSERT INTO chain_head VALUES (1, 0, zeroblob(32), 0, 0);

CREATE TABLE audit_records (
    sequence         INTEGER PRIMARY KEY,
    recorded_at      INTEGER NOT NULL,
    actor            TEXT    NOT NULL,
    command_type     TEXT    NOT NULL,
    idempotency_key  TEXT    NOT NULL UNIQUE,
    payload_hash     BLOB    NOT NULL,
    payload          TEXT,
    result           TEXT    NOT NULL,
    entry_count      INTEGER NOT NULL,
    entries_digest   BLOB    NOT NULL,
    previous_hash    BLOB    NOT NULL,
    hash             BLOB    NOT NULL
);

CREATE TABLE assets (
    id     INTEGER PRIMARY KEY,
    code   TEXT    NOT NULL UNIQUE,
    kind   INTEGER NOT NULL CHECK (kind IN (1, 2)),
    scale  INTEGER NOT NULL CHECK (scale BETWEEN 0 AND 8)
);

CREATE TABLE ledger_accounts (
    id                   INTEGER PRIMARY KEY,
    code                 TEXT    NOT NULL UNIQUE,
    name                 TEXT    NOT NULL,
    type                 INTEGER NOT NULL CHECK (type BETWEEN 1 AND 5),
    control_account_code TEXT,
    is_open              INTEGER NOT NULL
);

-- The journal tables carry no foreign keys: every id in them is resolved from the reference
-- tables by the write path under the chain lock, checked again when an entry is loaded, and
-- covered by the audit chain. Per-row key checks would cost more than the rows themselves.
CREATE TABLE journal_entries (
    id               INTEGER PRIMARY KEY,
    audit_sequence   INTEGER NOT NULL,
    effective_date   TEXT    NOT NULL,
    recorded_at      INTEGER NOT NULL,
    reason           TEXT    NOT NULL,
    source_reference TEXT    NOT NULL,
    reverses_id      INTEGER,
    idempotency_key  TEXT    NOT NULL UNIQUE,
    payload_hash     BLOB    NOT NULL,
    entry_hash       BLOB    NOT NULL
);
-- An entry is reversed at most once.
CREATE UNIQUE INDEX journal_entries_reverses ON journal_entries (reverses_id) WHERE reverses_id IS NOT NULL;

CREATE TABLE postings (
    entry_id          INTEGER NOT NULL,
    line_number       INTEGER NOT NULL,
    ledger_account_id INTEGER NOT NULL,
    asset_id          INTEGER NOT NULL,
    units             INTEGER NOT NULL CHECK (units <> 0),
    effective_date    TEXT    NOT NULL,
    PRIMARY KEY (entry_id, line_number)
) WITHOUT ROWID;

-- Derived projection: rebuilt from postings at will; never the truth.
CREATE TABLE balances (
    ledger_account_id INTEGER NOT NULL,
    asset_id          INTEGER NOT NULL,
    units             INTEGER NOT NULL,
    PRIMARY KEY (ledger_account_id, asset_id)
) WITHOUT ROWID;

CREATE TABLE currencies (
    code         TEXT PRIMARY KEY,
    numeric_code INTEGER NOT NULL,
    minor_units  INTEGER NOT NULL,
    name         TEXT    NOT NULL
);

CREATE TABLE markets (
    mic          TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    country_code TEXT NOT NULL
);

CREATE TABLE instruments (
    isin                  TEXT PRIMARY KEY,
    name                  TEXT    NOT NULL,
    asset_class           INTEGER NOT NULL,
    currency              TEXT    NOT NULL REFERENCES currencies (code),
    listing_mic           TEXT    NOT NULL REFERENCES markets (mic),
    cusip                 TEXT,
    sedol                 TEXT,
    ticker                TEXT,
    settlement_cycle_days INTEGER,
    quantity_scale        INTEGER NOT NULL
);

CREATE TABLE parties (
    lei  TEXT PRIMARY KEY,
    name TEXT    NOT NULL,
    role INTEGER NOT NULL,
    bic  TEXT
);

CREATE TABLE client_accounts (
    code          TEXT PRIMARY KEY,
    name          TEXT    NOT NULL,
    party_lei     TEXT    NOT NULL REFERENCES parties (lei),
    base_currency TEXT    NOT NULL REFERENCES currencies (code),
    branch        TEXT    NOT NULL,
    status        INTEGER NOT NULL,
    opened_on     TEXT    NOT NULL
);

CREATE TABLE books (
    code          TEXT PRIMARY KEY,
    name          TEXT    NOT NULL,
    type          INTEGER NOT NULL,
    base_currency TEXT    NOT NULL REFERENCES currencies (code)
);

-- Booked facts are immutable: the database itself refuses to change them.
CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
BEGIN SELECT RAISE(ABORT, 'audit records are immutable'); END;
CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records
BEGIN SELECT RAISE(ABORT, 'audit records are immutable'); END;
CREATE TRIGGER journal_entries_no_update BEFORE UPDATE ON journal_entries
BEGIN SELECT RAISE(ABORT, 'journal entries are immutable; book a reversal'); END;
CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries
BEGIN SELECT RAISE(ABORT, 'journal entries are immutable; book a reversal'); END;
CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings
BEGIN SELECT RAISE(ABORT, 'postings are immutable; book a reversal'); END;
CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings
BEGIN SELECT RAISE(ABORT, 'postings are immutable; book a reversal'); END;
