-- Books and records: every trade file imported, kept whole exactly as received, and the retention
-- policy; the raw message tables that could still be changed in place are made append-only.

-- A whole inbound file as received, once per content (content_hash), by the audited command
-- audit_sequence that imported it. kind: 'trades' (a trade file); format: csv, json or fix.
CREATE TABLE inbound_files (
    content_hash   bytea   PRIMARY KEY,
    kind           text    NOT NULL,
    name           text    NOT NULL,
    format         text    NOT NULL,
    content        bytea   NOT NULL,
    size           bigint  NOT NULL,
    received_at    bigint  NOT NULL,
    audit_sequence bigint  NOT NULL
);
CREATE INDEX inbound_files_sequence ON inbound_files (audit_sequence);

-- Every retention policy set, by the audited command that set it; the latest is in force. Six
-- years at least (the database refuses less, as the rules do).
CREATE TABLE records_retention (
    audit_sequence bigint  PRIMARY KEY,
    years          bigint  NOT NULL CHECK (years >= 6)
);

CREATE TRIGGER inbound_files_immutable BEFORE UPDATE OR DELETE ON inbound_files
    FOR EACH ROW EXECUTE FUNCTION backoffice_refuse_change();
CREATE TRIGGER inbound_files_no_truncate BEFORE TRUNCATE ON inbound_files
    FOR EACH STATEMENT EXECUTE FUNCTION backoffice_refuse_change();
CREATE TRIGGER records_retention_immutable BEFORE UPDATE OR DELETE ON records_retention
    FOR EACH ROW EXECUTE FUNCTION backoffice_refuse_change();
CREATE TRIGGER records_retention_no_truncate BEFORE TRUNCATE ON records_retention
    FOR EACH STATEMENT EXECUTE FUNCTION backoffice_refuse_change();
CREATE TRIGGER statement_files_immutable BEFORE UPDATE OR DELETE ON statement_files
    FOR EACH ROW EXECUTE FUNCTION backoffice_refuse_change();
CREATE TRIGGER statement_files_no_truncate BEFORE TRUNCATE ON statement_files
    FOR EACH STATEMENT EXECUTE FUNCTION backoffice_refuse_change();
CREATE TRIGGER mifir_files_immutable BEFORE UPDATE OR DELETE ON mifir_files
    FOR EACH ROW EXECUTE FUNCTION backoffice_refuse_change();
CREATE TRIGGER mifir_files_no_truncate BEFORE TRUNCATE ON mifir_files
    FOR EACH STATEMENT EXECUTE FUNCTION backoffice_refuse_change();
CREATE TRIGGER mifir_feedback_immutable BEFORE UPDATE OR DELETE ON mifir_feedback
    FOR EACH ROW EXECUTE FUNCTION backoffice_refuse_change();
CREATE TRIGGER mifir_feedback_no_truncate BEFORE TRUNCATE ON mifir_feedback
    FOR EACH STATEMENT EXECUTE FUNCTION backoffice_refuse_change();
CREATE TRIGGER mifir_record_events_immutable BEFORE UPDATE OR DELETE ON mifir_record_events
    FOR EACH ROW EXECUTE FUNCTION backoffice_refuse_change();
CREATE TRIGGER mifir_record_events_no_truncate BEFORE TRUNCATE ON mifir_record_events
    FOR EACH STATEMENT EXECUTE FUNCTION backoffice_refuse_change();

-- Application roles get no UPDATE, DELETE or TRUNCATE on what was received or sent.
REVOKE UPDATE, DELETE, TRUNCATE ON inbound_files, records_retention, statement_files, mifir_files, mifir_feedback, mifir_record_events FROM PUBLIC;
