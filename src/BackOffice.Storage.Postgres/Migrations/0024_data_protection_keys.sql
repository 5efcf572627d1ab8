-- The keys that protect console sessions and antiforgery tokens (ASP.NET Core data protection),
-- kept in the database so every server sharing it accepts the others' cookies.
CREATE TABLE data_protection_keys (
    name text PRIMARY KEY,
    xml  text NOT NULL
);
