-- Memo accounts (type 6): off-balance-sheet accounts that carry what the books must show but the
-- firm neither owns nor owes, such as each client's realized P&L on its disposals and the
-- accrued interest on its bonds. They balance among themselves and stay out of the balance sheet
-- and income statement.
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_type_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_type_check CHECK (type BETWEEN 1 AND 6);
