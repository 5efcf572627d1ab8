-- Coupon terms of fixed-rate bonds, for accrued interest on trades.
ALTER TABLE instruments ADD COLUMN coupon_rate numeric;
ALTER TABLE instruments ADD COLUMN coupon_frequency integer;
ALTER TABLE instruments ADD COLUMN day_count text;
ALTER TABLE instruments ADD COLUMN dated_date date;
ALTER TABLE instruments ADD COLUMN first_coupon_date date;
ALTER TABLE instruments ADD COLUMN maturity_date date;
ALTER TABLE instruments ADD COLUMN end_of_month boolean;
