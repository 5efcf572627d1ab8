-- Maker-checker: sensitive commands held until a second user decides them. The row is the
-- request and its one decision; both steps are audited commands (request_sequence,
-- decision_sequence), and an approved request's command is carried out by the decision's.
CREATE TABLE approvals (
    id                bigint PRIMARY KEY,
    kind              text NOT NULL,
    summary           text NOT NULL,
    payload           text NOT NULL,
    payload_hash      bytea NOT NULL,
    maker             text NOT NULL,
    requested_at      bigint NOT NULL,
    expires_at        bigint NOT NULL,
    status            bigint NOT NULL,
    checker           text,
    decided_at        bigint,
    note              text,
    request_sequence  bigint NOT NULL,
    decision_sequence bigint
);

CREATE INDEX approvals_pending ON approvals (status, id);
