-- Each client account relieves its lots by its own method (1 FIFO, 2 LIFO, 3 HIFO, 4 average
-- cost); accounts loaded before this column relieve FIFO, the default.
ALTER TABLE client_accounts ADD COLUMN lot_method integer NOT NULL DEFAULT 1;
