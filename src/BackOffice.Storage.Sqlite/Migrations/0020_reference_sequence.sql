-- The audit sequence of the last command that changed reference data, so a long-running server
-- can tell, inside a write transaction, whether the reference data it keeps in memory is current.
ALTER TABLE chain_head ADD COLUMN reference_changed_sequence INTEGER NOT NULL DEFAULT 0;
UPDATE chain_head SET reference_changed_sequence = last_sequence;
