-- FIX session sequence numbers: operational state, updated in place (not a booked fact). The
-- incoming number is written in the same transaction as the trades a message books.
CREATE TABLE fix_sessions (
    session_id    text   PRIMARY KEY,
    next_incoming bigint NOT NULL,
    next_outgoing bigint NOT NULL
);
