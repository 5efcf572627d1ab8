-- Interest schedules on client cash balances: marginal tiers per currency and side (credit: the
-- firm pays on cash it holds; debit: the client pays on what it owes), with a day count and
-- effective dates. Reference data, loaded by audited imports.
CREATE TABLE interest_rates (
    id             text PRIMARY KEY,
    currency       text NOT NULL REFERENCES currencies (code),
    side           integer NOT NULL,
    tier_from      numeric NOT NULL,
    rate           numeric NOT NULL,
    day_count      text NOT NULL,
    effective_from date NOT NULL,
    effective_to   date
);
