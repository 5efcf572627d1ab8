-- Coupon terms of fixed-rate bonds, for accrued interest on trades.
ALTER TABLE instruments ADD COLUMN coupon_rate TEXT;
ALTER TABLE instruments ADD COLUMN coupon_frequency INTEGER;
ALTER TABLE instruments ADD COLUMN day_count TEXT;
ALTER TABLE instruments ADD COLUMN dated_date TEXT;
ALTER TABLE instruments ADD COLUMN first_coupon_date TEXT;
ALTER TABLE instruments ADD COLUMN maturity_date TEXT;
ALTER TABLE instruments ADD COLUMN end_of_month INTEGER;
