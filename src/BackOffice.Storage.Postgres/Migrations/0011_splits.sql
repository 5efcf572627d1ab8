-- Stock splits and reverse splits: from the ex date each holder's quantity is multiplied by
-- ratio_new / ratio_old. Reference data, loaded by audited imports; the end of day of the ex date
-- books the change of every holding (a journal entry) and the lots follow.
CREATE TABLE splits (
    instrument text    NOT NULL,
    ex_date    date    NOT NULL,
    ratio_new  numeric NOT NULL,
    ratio_old  numeric NOT NULL,
    source     text    NOT NULL,
    PRIMARY KEY (instrument, ex_date)
);
