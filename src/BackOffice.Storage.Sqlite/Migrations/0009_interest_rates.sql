-- Interest schedules on client cash balances: marginal tiers per currency and side (credit: the
-- firm pays on cash it holds; debit: the client pays on what it owes), with a day count and
-- effective dates. Reference data, loaded by audited imports.
CREATE TABLE interest_rates (
    id             TEXT PRIMARY KEY,
    currency       TEXT NOT NULL REFERENCES currencies (code),
    side           INTEGER NOT NULL,
    tier_from      TEXT NOT NULL,
    rate           TEXT NOT NULL,
    day_count      TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    effective_to   TEXT
);
