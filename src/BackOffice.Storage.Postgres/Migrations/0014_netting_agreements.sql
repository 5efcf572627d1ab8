-- Bilateral netting agreements: with a counterparty named here, obligations in one instrument,
-- settlement date and currency settle as one net movement. Reference data, loaded by audited imports.
CREATE TABLE netting_agreements (
    counterparty   text NOT NULL REFERENCES parties (lei),
    effective_from date NOT NULL,
    effective_to   date,
    PRIMARY KEY (counterparty, effective_from)
);
