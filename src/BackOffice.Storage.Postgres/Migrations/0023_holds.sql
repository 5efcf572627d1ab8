-- Buying-power holds. The reservation is a journal entry (entry_key) on memo accounts and its end
-- is that entry's reversal: this table says only what each entry is for, never an amount or a
-- state that could drift from the ledger.
CREATE TABLE holds (
    id             text PRIMARY KEY,
    account        text NOT NULL,
    kind           bigint NOT NULL,
    asset          text NOT NULL,
    amount         text NOT NULL,
    reference      text,
    placed_at      bigint NOT NULL,
    expires_at     bigint NOT NULL,
    maker          text NOT NULL,
    entry_key      text NOT NULL UNIQUE,
    audit_sequence bigint NOT NULL
);

CREATE INDEX holds_account ON holds (account);
CREATE INDEX holds_reference ON holds (reference) WHERE reference IS NOT NULL;
