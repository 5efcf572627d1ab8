-- The trades that were corrected or busted (a version after the first): few, so a small partial
-- index finds the instructions they made stale without reading every instruction's members.
CREATE INDEX trade_versions_amended ON trade_versions (trade_id, version) WHERE version > 1;
