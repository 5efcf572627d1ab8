-- What lets the common reports skip the journal. The chain head keeps the latest effective date
-- of any entry (a balance as of that date or later is the maintained projection) and the audit
-- sequence of the last command that changed what lots are computed from (trade versions,
-- client accounts, books, splits). The end of day keeps the realized P&L of every closing trade
-- as its lots left it (realized_trades), stamped with the sequence and date it was computed at;
-- a report may use it only while no later command changed the lots' inputs.
ALTER TABLE chain_head ADD COLUMN latest_effective_date TEXT;
ALTER TABLE chain_head ADD COLUMN lots_changed_sequence INTEGER NOT NULL DEFAULT 0;
UPDATE chain_head SET latest_effective_date = (SELECT MAX(effective_date) FROM journal_entries),
                      lots_changed_sequence = last_sequence;

CREATE TABLE realized_snapshot (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    through_date   TEXT    NOT NULL,
    audit_sequence INTEGER NOT NULL
);

CREATE TABLE realized_trades (
    trade_id    INTEGER PRIMARY KEY,
    account     TEXT NOT NULL,
    instrument  TEXT NOT NULL,
    currency    TEXT NOT NULL,
    trade_date  TEXT NOT NULL,
    quantity    TEXT NOT NULL,
    proceeds    TEXT NOT NULL,
    cost_basis  TEXT NOT NULL
);
