-- Maker-checker: sensitive commands held until a second user decides them. The row is the
-- request and its one decision; both steps are audited commands (request_sequence,
-- decision_sequence), and an approved request's command is carried out by the decision's.
CREATE TABLE approvals (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL,
    summary           TEXT NOT NULL,
    payload           TEXT NOT NULL,
    payload_hash      BLOB NOT NULL,
    maker             TEXT NOT NULL,
    requested_at      INTEGER NOT NULL,
    expires_at        INTEGER NOT NULL,
    status            INTEGER NOT NULL,
    checker           TEXT,
    decided_at        INTEGER,
    note              TEXT,
    request_sequence  INTEGER NOT NULL,
    decision_sequence INTEGER
);

CREATE INDEX approvals_pending ON approvals (status, id);
