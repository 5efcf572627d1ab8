-- Settlement parameters, reference data loaded by audited imports: each instrument's CSDR penalty
-- category (1 share liquid, 2 share illiquid, 3 SME non-debt, 4 sovereign debt, 5 other debt,
-- 6 SME debt, 7 other; null: derived from its asset class), the close-out deadlines of settlement
-- fails, and the central banks' overnight credit rates that lack-of-cash penalties accrue at.
ALTER TABLE instruments ADD COLUMN csdr_category smallint;

-- A null market, category or asset class matches any; market is the country of the place of
-- settlement's BIC (US, FR, ...).
CREATE TABLE close_out_rules (
    name          text PRIMARY KEY,
    market        text,
    category      smallint,
    asset_class   smallint,
    business_days integer NOT NULL
);

-- A rate (a fraction a year, possibly negative) is in force from its date until the next row of its currency.
CREATE TABLE central_bank_rates (
    currency       text    NOT NULL REFERENCES currencies (code),
    effective_from date    NOT NULL,
    rate           numeric NOT NULL,
    source         text    NOT NULL,
    PRIMARY KEY (currency, effective_from)
);
