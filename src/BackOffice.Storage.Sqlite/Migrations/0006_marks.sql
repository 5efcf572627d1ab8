-- End-of-day marks: prices per instrument and date, exchange rates per currency pair and date,
-- each with the source that published it. Loaded through reference-data imports (audited); a
-- later import for the same instrument (or pair) and date replaces the figure.
CREATE TABLE prices (
    instrument TEXT NOT NULL,
    price_date TEXT NOT NULL,
    price      TEXT NOT NULL,
    currency   TEXT NOT NULL REFERENCES currencies (code),
    source     TEXT NOT NULL,
    PRIMARY KEY (instrument, price_date)
) WITHOUT ROWID;

CREATE TABLE fx_rates (
    base      TEXT NOT NULL REFERENCES currencies (code),
    quote     TEXT NOT NULL REFERENCES currencies (code),
    rate_date TEXT NOT NULL,
    rate      TEXT NOT NULL,
    source    TEXT NOT NULL,
    PRIMARY KEY (base, quote, rate_date)
) WITHOUT ROWID;
