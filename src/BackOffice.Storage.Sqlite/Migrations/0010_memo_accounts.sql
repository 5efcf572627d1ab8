-- Memo accounts (type 6): off-balance-sheet accounts that carry what the books must show but the
-- firm neither owns nor owes, such as each client's realized P&L on its disposals and the
-- accrued interest on its bonds. They balance among themselves and stay out of the balance sheet
-- and income statement. SQLite cannot widen a CHECK constraint in place, so the table is
-- rebuilt; no table refers to ledger_accounts by key, and ids are kept.
CREATE TABLE ledger_accounts_new (
    id                   INTEGER PRIMARY KEY,
    code                 TEXT    NOT NULL UNIQUE,
    name                 TEXT    NOT NULL,
    type                 INTEGER NOT NULL CHECK (type BETWEEN 1 AND 6),
    control_account_code TEXT,
    is_open              INTEGER NOT NULL
);
INSERT INTO ledger_accounts_new (id, code, name, type, control_account_code, is_open)
    SELECT id, code, name, type, control_account_code, is_open FROM ledger_accounts;
DROP TABLE ledger_accounts;
ALTER TABLE ledger_accounts_new RENAME TO ledger_accounts;
