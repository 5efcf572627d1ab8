-- End-of-day marks: prices per instrument and date, exchange rates per currency pair and date,
-- each with the source that published it. Loaded through reference-data imports (audited); a
-- later import for the same instrument (or pair) and date replaces the figure.
CREATE TABLE prices (
    instrument text    NOT NULL,
    price_date date    NOT NULL,
    price      numeric NOT NULL,
    currency   text    NOT NULL REFERENCES currencies (code),
    source     text    NOT NULL,
    PRIMARY KEY (instrument, price_date)
);

CREATE TABLE fx_rates (
    base      text    NOT NULL REFERENCES currencies (code),
    quote     text    NOT NULL REFERENCES currencies (code),
    rate_date date    NOT NULL,
    rate      numeric NOT NULL,
    source    text    NOT NULL,
    PRIMARY KEY (base, quote, rate_date)
);
