-- A counterparty whose cash settles apart from its securities (an agent or prime broker paying
-- separately): its standing settlement instruction says so, and the trades booked under it keep
-- the flag with the rest of their SSI, so their obligations deliver or receive free of payment.
ALTER TABLE settlement_instructions ADD COLUMN free_of_payment boolean NOT NULL DEFAULT false;
ALTER TABLE trade_versions ADD COLUMN ssi_free_of_payment boolean;
