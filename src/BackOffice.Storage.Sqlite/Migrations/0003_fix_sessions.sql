-- FIX session sequence numbers: operational state, updated in place (not a booked fact). The
-- incoming number is written in the same transaction as the trades a message books.
CREATE TABLE fix_sessions (
    session_id    TEXT PRIMARY KEY,
    next_incoming INTEGER NOT NULL,
    next_outgoing INTEGER NOT NULL
);
