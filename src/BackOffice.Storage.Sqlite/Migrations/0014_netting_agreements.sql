-- Bilateral netting agreements: with a counterparty named here, obligations in one instrument,
-- settlement date and currency settle as one net movement. Reference data, loaded by audited imports.
CREATE TABLE netting_agreements (
    counterparty   TEXT NOT NULL REFERENCES parties (lei),
    effective_from TEXT NOT NULL,
    effective_to   TEXT,
    PRIMARY KEY (counterparty, effective_from)
);
