-- Settlement instructions the firm sent, their lifecycle and the penalties they accrued.
-- An instruction's row carries what was instructed (never changed) and its current state
-- (status, settled so far, last reason), which only instruction_events move: every change of
-- state is an immutable event row written by the audited command that caused it.
CREATE TABLE instructions (
    tx_id                text    PRIMARY KEY,
    type                 integer NOT NULL,
    counterparty         text    NOT NULL,
    isin                 text    NOT NULL,
    nominal              boolean NOT NULL,
    currency             text    NOT NULL,
    trade_date           date    NOT NULL,
    settlement_date      date    NOT NULL,
    quantity             numeric    NOT NULL,
    amount               numeric    NOT NULL,
    receives_cash        boolean NOT NULL,
    price                numeric    NOT NULL,
    place_of_trade       text    NOT NULL,
    place_of_settlement  text    NOT NULL,
    counterparty_agent   text    NOT NULL,
    counterparty_account text    NOT NULL,
    payload_hash         bytea    NOT NULL,
    created_sequence     bigint NOT NULL,
    status               integer NOT NULL,
    settled_quantity     numeric    NOT NULL,
    settled_amount       numeric    NOT NULL,
    reason_code          text,
    matched_on           date,
    updated_sequence     bigint NOT NULL
);
CREATE INDEX instructions_settlement_date ON instructions (settlement_date);

-- The obligations (trade versions) each instruction settles: one for a gross instruction, several for a net.
CREATE TABLE instruction_members (
    tx_id    text    NOT NULL,
    trade_id bigint NOT NULL,
    version  integer NOT NULL,
    type     integer NOT NULL,
    quantity numeric    NOT NULL,
    amount   numeric    NOT NULL,
    PRIMARY KEY (tx_id, trade_id)
);
CREATE INDEX instruction_members_trade ON instruction_members (trade_id);

CREATE TABLE instruction_events (
    audit_sequence   bigint NOT NULL,
    ordinal          integer NOT NULL,
    tx_id            text    NOT NULL,
    from_status      integer NOT NULL,
    to_status        integer NOT NULL,
    on_date          date    NOT NULL,
    source           text    NOT NULL,
    message_id       text,
    reason_code      text,
    note             text,
    settled_quantity numeric    NOT NULL,
    settled_amount   numeric    NOT NULL,
    matched_on       date,
    PRIMARY KEY (audit_sequence, ordinal)
);
CREATE INDEX instruction_events_tx ON instruction_events (tx_id);

-- CSDR cash penalties accrued per instruction and day (each also booked to the ledger).
CREATE TABLE instruction_penalties (
    tx_id            text    NOT NULL,
    penalty_date     date    NOT NULL,
    audit_sequence   bigint NOT NULL,
    fail_type        integer NOT NULL,
    side             integer NOT NULL,
    category         integer NOT NULL,
    failing_quantity numeric    NOT NULL,
    reference_price  numeric    NOT NULL,
    amount           numeric    NOT NULL,
    currency         text    NOT NULL,
    PRIMARY KEY (tx_id, penalty_date)
);

CREATE TRIGGER instruction_members_immutable BEFORE UPDATE OR DELETE ON instruction_members
    FOR EACH ROW EXECUTE FUNCTION backoffice_refuse_change();
CREATE TRIGGER instruction_events_immutable BEFORE UPDATE OR DELETE ON instruction_events
    FOR EACH ROW EXECUTE FUNCTION backoffice_refuse_change();
CREATE TRIGGER instruction_penalties_immutable BEFORE UPDATE OR DELETE ON instruction_penalties
    FOR EACH ROW EXECUTE FUNCTION backoffice_refuse_change();
CREATE TRIGGER instructions_no_delete BEFORE DELETE ON instructions
    FOR EACH ROW EXECUTE FUNCTION backoffice_refuse_change();
