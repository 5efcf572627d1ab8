-- CSDR penalty rates loaded by audited imports, amending the Annex to Delegated Regulation (EU)
-- 2017/389 built into the code: a rate (a fraction a day of the reference value, 0.0001 is one
-- basis point) for a category (1 share liquid, 2 share illiquid, 3 SME non-debt, 4 sovereign
-- debt, 5 other debt, 6 SME debt, 7 other) is in force from its date until the next row of its
-- category; a row for the category and date of an Annex row replaces it.
CREATE TABLE penalty_rates (
    category       smallint NOT NULL,
    effective_from date     NOT NULL,
    rate           numeric  NOT NULL,
    PRIMARY KEY (category, effective_from)
);
