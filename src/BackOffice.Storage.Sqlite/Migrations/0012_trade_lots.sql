-- The lots a trade names to relieve (specific identification): lot ids (the trade ids of the
-- fills that opened them) separated by spaces, or null to follow the account's lot method.
ALTER TABLE trade_versions ADD COLUMN lot_ids TEXT;
