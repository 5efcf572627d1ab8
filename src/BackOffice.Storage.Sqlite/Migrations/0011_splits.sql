-- Stock splits and reverse splits: from the ex date each holder's quantity is multiplied by
-- ratio_new / ratio_old. Reference data, loaded by audited imports; the end of day of the ex date
-- books the change of every holding (a journal entry) and the lots follow.
CREATE TABLE splits (
    instrument TEXT NOT NULL,
    ex_date    TEXT NOT NULL,
    ratio_new  TEXT NOT NULL,
    ratio_old  TEXT NOT NULL,
    source     TEXT NOT NULL,
    PRIMARY KEY (instrument, ex_date)
) WITHOUT ROWID;
