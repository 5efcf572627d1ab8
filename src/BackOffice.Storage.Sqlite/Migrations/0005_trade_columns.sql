-- A trade version's economics, charges and settlement instruction as columns instead of one JSON
-- document: the document repeated its field names and the whole SSI in every row (about 540
-- bytes), which made trade_versions two thirds of the database and the largest cost of booking
-- a trade. Charges stay a small JSON array ([code, kind, amount, ledger account or null], ...).
-- The SSI is kept as it was when the trade was booked (SSIs can change later); its counterparty
-- is the trade's. Existing versions are copied unchanged; the table is rebuilt because SQLite
-- cannot drop a column that rows still use.

CREATE TABLE trade_versions_new (
    trade_id              INTEGER NOT NULL,
    version               INTEGER NOT NULL,
    audit_sequence        INTEGER NOT NULL,
    action                INTEGER NOT NULL,
    status                INTEGER NOT NULL,
    source                TEXT    NOT NULL,
    source_id             TEXT    NOT NULL,
    payload_hash          BLOB    NOT NULL,
    account               TEXT    NOT NULL,
    isin                  TEXT    NOT NULL,
    trade_date            TEXT    NOT NULL,
    settlement_date       TEXT    NOT NULL,
    entry_id              INTEGER,
    reversal_entry_id     INTEGER,
    side                  INTEGER NOT NULL,
    market                TEXT    NOT NULL,
    quantity              TEXT    NOT NULL,
    price                 TEXT    NOT NULL,
    currency              TEXT    NOT NULL,
    counterparty          TEXT    NOT NULL,
    executed_at           INTEGER,
    gross                 TEXT    NOT NULL,
    accrued_interest      TEXT    NOT NULL,
    net                   TEXT    NOT NULL,
    charges               TEXT    NOT NULL,
    ssi_id                TEXT,
    ssi_market            TEXT,
    ssi_asset_class       INTEGER,
    ssi_place             TEXT,
    ssi_depository_account TEXT,
    ssi_agent_bic         TEXT,
    ssi_effective_from    TEXT,
    source_message        TEXT    NOT NULL,
    PRIMARY KEY (trade_id, version)
) WITHOUT ROWID;

-- Decimals are copied from the JSON text as written (->, not json_extract, which would make
-- them floating point), so their scale (1.00 stays 1.00) is kept.
INSERT INTO trade_versions_new
SELECT trade_id, version, audit_sequence, action, status, source, source_id, payload_hash, account, isin, trade_date, settlement_date,
       entry_id, reversal_entry_id,
       json_extract(document, '$.Side'), json_extract(document, '$.Market'),
       document -> '$.Quantity', document -> '$.Price',
       json_extract(document, '$.Currency'), json_extract(document, '$.Counterparty'), json_extract(document, '$.ExecutedAtTicks'),
       document -> '$.Gross', document -> '$.AccruedInterest', document -> '$.Net',
       (SELECT json_group_array(json_array(json_extract(c.value, '$.Code'), json_extract(c.value, '$.Kind'),
                '' || (c.value -> '$.Amount'), json_extract(c.value, '$.LedgerAccount')))
          FROM json_each(document, '$.Charges') c),
       json_extract(document, '$.Ssi.Id'), json_extract(document, '$.Ssi.Market'), json_extract(document, '$.Ssi.AssetClass'),
       json_extract(document, '$.Ssi.PlaceOfSettlement'), json_extract(document, '$.Ssi.DepositoryAccount'), json_extract(document, '$.Ssi.AgentBic'),
       json_extract(document, '$.Ssi.EffectiveFrom'),
       source_message
FROM trade_versions;

DROP TRIGGER trade_versions_no_update;
DROP TRIGGER trade_versions_no_delete;
DROP TABLE trade_versions;
ALTER TABLE trade_versions_new RENAME TO trade_versions;
CREATE UNIQUE INDEX trade_versions_source_id ON trade_versions (source, source_id);
CREATE TRIGGER trade_versions_no_update BEFORE UPDATE ON trade_versions
BEGIN SELECT RAISE(ABORT, 'trade versions are immutable; book a correction or a bust'); END;
CREATE TRIGGER trade_versions_no_delete BEFORE DELETE ON trade_versions
BEGIN SELECT RAISE(ABORT, 'trade versions are immutable; book a correction or a bust'); END;
