-- A trade version's economics, charges and settlement instruction as columns instead of one JSON
-- document: the document repeated its field names and the whole SSI in every row, which made
-- trade_versions most of the database and the largest cost of booking a trade. Charges stay a
-- small JSON array ([code, kind, amount, ledger account or null], ...). The SSI is kept as it was
-- when the trade was booked (SSIs can change later); its counterparty is the trade's. Existing
-- versions are copied unchanged into the new table.

CREATE TABLE trade_versions_new (
    trade_id               bigint   NOT NULL,
    version                integer  NOT NULL,
    audit_sequence         bigint   NOT NULL,
    action                 integer  NOT NULL,
    status                 integer  NOT NULL,
    source                 text     NOT NULL,
    source_id              text     NOT NULL,
    payload_hash           bytea    NOT NULL,
    account                text     NOT NULL,
    isin                   text     NOT NULL,
    trade_date             date     NOT NULL,
    settlement_date        date     NOT NULL,
    entry_id               bigint,
    reversal_entry_id      bigint,
    side                   integer  NOT NULL,
    market                 text     NOT NULL,
    quantity               numeric  NOT NULL,
    price                  numeric  NOT NULL,
    currency               text     NOT NULL,
    counterparty           text     NOT NULL,
    executed_at            bigint,
    gross                  numeric  NOT NULL,
    accrued_interest       numeric  NOT NULL,
    net                    numeric  NOT NULL,
    charges                jsonb    NOT NULL,
    ssi_id                 text,
    ssi_market             text,
    ssi_asset_class        integer,
    ssi_place              text,
    ssi_depository_account text,
    ssi_agent_bic          text,
    ssi_effective_from     date,
    source_message         text     NOT NULL,
    PRIMARY KEY (trade_id, version)
);

-- jsonb keeps a number's text, so numeric gets the scale it was written with (1.00 stays 1.00).
INSERT INTO trade_versions_new
SELECT trade_id, version, audit_sequence, action, status, source, source_id, payload_hash, account, isin, trade_date, settlement_date,
       entry_id, reversal_entry_id,
       (d ->> 'Side')::integer, d ->> 'Market', (d ->> 'Quantity')::numeric, (d ->> 'Price')::numeric, d ->> 'Currency', d ->> 'Counterparty',
       (d ->> 'ExecutedAtTicks')::bigint, (d ->> 'Gross')::numeric, (d ->> 'AccruedInterest')::numeric, (d ->> 'Net')::numeric,
       COALESCE((SELECT jsonb_agg(jsonb_build_array(c ->> 'Code', (c ->> 'Kind')::integer, c ->> 'Amount', c ->> 'LedgerAccount') ORDER BY n)
                 FROM jsonb_array_elements(d -> 'Charges') WITH ORDINALITY AS e(c, n)), '[]'::jsonb),
       d -> 'Ssi' ->> 'Id', d -> 'Ssi' ->> 'Market', (d -> 'Ssi' ->> 'AssetClass')::integer, d -> 'Ssi' ->> 'PlaceOfSettlement',
       d -> 'Ssi' ->> 'DepositoryAccount', d -> 'Ssi' ->> 'AgentBic', (d -> 'Ssi' ->> 'EffectiveFrom')::date,
       source_message
FROM (SELECT *, document::jsonb AS d FROM trade_versions) AS old;

DROP TABLE trade_versions;
ALTER TABLE trade_versions_new RENAME TO trade_versions;
ALTER TABLE trade_versions RENAME CONSTRAINT trade_versions_new_pkey TO trade_versions_pkey;
CREATE UNIQUE INDEX trade_versions_source_id ON trade_versions (source, source_id);
CREATE TRIGGER trade_versions_immutable BEFORE UPDATE OR DELETE ON trade_versions
    FOR EACH ROW EXECUTE FUNCTION backoffice_refuse_change();
CREATE TRIGGER trade_versions_no_truncate BEFORE TRUNCATE ON trade_versions
    FOR EACH STATEMENT EXECUTE FUNCTION backoffice_refuse_change();
REVOKE UPDATE, DELETE, TRUNCATE ON trade_versions FROM PUBLIC;
