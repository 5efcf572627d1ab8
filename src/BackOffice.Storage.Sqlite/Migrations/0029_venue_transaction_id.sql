-- The trading venue's identifier of a transaction (FIX TrdMatchID), which MiFIR reports as field 3.
ALTER TABLE trade_versions ADD COLUMN venue_transaction_id TEXT;
