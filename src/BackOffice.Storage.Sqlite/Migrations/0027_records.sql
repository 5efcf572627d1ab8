-- Books and records: every trade file imported, kept whole exactly as received, and the retention
-- policy; the raw message tables that could still be changed in place are made append-only.

-- A whole inbound file as received, once per content (content_hash), by the audited command
-- audit_sequence that imported it. kind: 'trades' (a trade file); format: csv, json or fix.
CREATE TABLE inbound_files (
    content_hash   BLOB    PRIMARY KEY,
    kind           TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    format         TEXT    NOT NULL,
    content        BLOB    NOT NULL,
    size           INTEGER NOT NULL,
    received_at    INTEGER NOT NULL,
    audit_sequence INTEGER NOT NULL
);
CREATE INDEX inbound_files_sequence ON inbound_files (audit_sequence);

-- Every retention policy set, by the audited command that set it; the latest is in force. Six
-- years at least (the database refuses less, as the rules do).
CREATE TABLE records_retention (
    audit_sequence INTEGER PRIMARY KEY,
    years          INTEGER NOT NULL CHECK (years >= 6)
);

CREATE TRIGGER inbound_files_no_update BEFORE UPDATE ON inbound_files
BEGIN SELECT RAISE(ABORT, 'inbound files are kept as received'); END;
CREATE TRIGGER inbound_files_no_delete BEFORE DELETE ON inbound_files
BEGIN SELECT RAISE(ABORT, 'inbound files are kept as received'); END;
CREATE TRIGGER records_retention_no_update BEFORE UPDATE ON records_retention
BEGIN SELECT RAISE(ABORT, 'retention policies are kept; set a new one'); END;
CREATE TRIGGER records_retention_no_delete BEFORE DELETE ON records_retention
BEGIN SELECT RAISE(ABORT, 'retention policies are kept; set a new one'); END;
CREATE TRIGGER statement_files_no_update BEFORE UPDATE ON statement_files
BEGIN SELECT RAISE(ABORT, 'statement files are kept as received'); END;
CREATE TRIGGER statement_files_no_delete BEFORE DELETE ON statement_files
BEGIN SELECT RAISE(ABORT, 'statement files are kept as received'); END;
CREATE TRIGGER mifir_files_no_update BEFORE UPDATE ON mifir_files
BEGIN SELECT RAISE(ABORT, 'MiFIR report files are kept as sent'); END;
CREATE TRIGGER mifir_files_no_delete BEFORE DELETE ON mifir_files
BEGIN SELECT RAISE(ABORT, 'MiFIR report files are kept as sent'); END;
CREATE TRIGGER mifir_feedback_no_update BEFORE UPDATE ON mifir_feedback
BEGIN SELECT RAISE(ABORT, 'MiFIR feedback files are kept as received'); END;
CREATE TRIGGER mifir_feedback_no_delete BEFORE DELETE ON mifir_feedback
BEGIN SELECT RAISE(ABORT, 'MiFIR feedback files are kept as received'); END;
CREATE TRIGGER mifir_record_events_no_update BEFORE UPDATE ON mifir_record_events
BEGIN SELECT RAISE(ABORT, 'MiFIR record events are immutable'); END;
CREATE TRIGGER mifir_record_events_no_delete BEFORE DELETE ON mifir_record_events
BEGIN SELECT RAISE(ABORT, 'MiFIR record events are immutable'); END;
