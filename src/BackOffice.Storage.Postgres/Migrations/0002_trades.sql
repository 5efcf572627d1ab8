-- Trade capture: fee schedules and standing settlement instructions (reference data), booked
-- trade versions (immutable facts) and the exceptions queue of streamed messages that failed.

CREATE TABLE fee_rules (
    id               text PRIMARY KEY,
    code             text     NOT NULL,
    kind             smallint NOT NULL,
    account          text,
    market           text,
    asset_class      smallint,
    issuer_country   text,
    side             smallint,
    method           smallint NOT NULL,
    rate             numeric  NOT NULL,
    minimum          numeric,
    maximum          numeric,
    currency         text     NOT NULL REFERENCES currencies (code),
    rounding         smallint NOT NULL,
    effective_from   date     NOT NULL,
    effective_to     date,
    ledger_account   text
);

CREATE TABLE settlement_instructions (
    id                  text PRIMARY KEY,
    counterparty        text NOT NULL REFERENCES parties (lei),
    market              text,
    asset_class         smallint,
    place_of_settlement text NOT NULL,
    depository_account  text NOT NULL,
    agent_bic           text NOT NULL,
    effective_from      date NOT NULL
);

-- One row per version of a trade. The columns that queries filter on are columns; the whole
-- version (economics, charges, SSI) is the document, written once and never changed.
CREATE TABLE trade_versions (
    trade_id          bigint   NOT NULL,
    version           integer  NOT NULL,
    audit_sequence    bigint   NOT NULL,
    action            integer  NOT NULL,
    status            integer  NOT NULL,
    source            text     NOT NULL,
    source_id         text     NOT NULL,
    payload_hash      bytea    NOT NULL,
    account           text     NOT NULL,
    isin              text     NOT NULL,
    trade_date        date     NOT NULL,
    settlement_date   date     NOT NULL,
    entry_id          bigint,
    reversal_entry_id bigint,
    document          text     NOT NULL,
    source_message    text     NOT NULL,
    PRIMARY KEY (trade_id, version)
);
-- Every message is booked once: its source and id name it for ever.
CREATE UNIQUE INDEX trade_versions_source_id ON trade_versions (source, source_id);

CREATE TABLE trade_exceptions (
    id             bigint PRIMARY KEY,
    audit_sequence bigint NOT NULL,
    source         text   NOT NULL,
    source_id      text,
    rule           text   NOT NULL,
    message        text   NOT NULL,
    location       text   NOT NULL,
    request        text,
    raw_message    text   NOT NULL
);

-- How an exception was closed: resubmitted (booked as a trade) or discarded, once.
CREATE TABLE trade_exception_actions (
    exception_id   bigint PRIMARY KEY,
    audit_sequence bigint NOT NULL,
    action         text   NOT NULL,
    note           text   NOT NULL,
    trade_id       bigint
);

CREATE TRIGGER trade_versions_immutable BEFORE UPDATE OR DELETE ON trade_versions
    FOR EACH ROW EXECUTE FUNCTION backoffice_refuse_change();
CREATE TRIGGER trade_versions_no_truncate BEFORE TRUNCATE ON trade_versions
    FOR EACH STATEMENT EXECUTE FUNCTION backoffice_refuse_change();
CREATE TRIGGER trade_exceptions_immutable BEFORE UPDATE OR DELETE ON trade_exceptions
    FOR EACH ROW EXECUTE FUNCTION backoffice_refuse_change();
CREATE TRIGGER trade_exception_actions_immutable BEFORE UPDATE OR DELETE ON trade_exception_actions
    FOR EACH ROW EXECUTE FUNCTION backoffice_refuse_change();

REVOKE UPDATE, DELETE, TRUNCATE ON trade_versions, trade_exceptions, trade_exception_actions FROM PUBLIC;
