-- The books are closed through a date: no entry may be effective on or before it. Kept on the
-- chain head, so it is read under the write lock with everything else a command checks, and
-- moved only by an audited command (period close).
ALTER TABLE chain_head ADD COLUMN closed_through date;
