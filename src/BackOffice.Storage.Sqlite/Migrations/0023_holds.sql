-- Buying-power holds. The reservation is a journal entry (entry_key) on memo accounts and its end
-- is that entry's reversal: this table says only what each entry is for, never an amount or a
-- state that could drift from the ledger.
CREATE TABLE holds (
    id             TEXT PRIMARY KEY,
    account        TEXT NOT NULL,
    kind           INTEGER NOT NULL,
    asset          TEXT NOT NULL,
    amount         TEXT NOT NULL,
    reference      TEXT,
    placed_at      INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    maker          TEXT NOT NULL,
    entry_key      TEXT NOT NULL UNIQUE,
    audit_sequence INTEGER NOT NULL
);

CREATE INDEX holds_account ON holds (account);
CREATE INDEX holds_reference ON holds (reference) WHERE reference IS NOT NULL;
