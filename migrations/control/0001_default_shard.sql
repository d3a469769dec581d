-- The first tenant-data shard. Further shards are added by inserting a row
-- here (by migration) and declaring the D1 binding in wrangler.toml.
INSERT INTO `shards` (`key`, `binding`, `accepts_new_tenants`) VALUES ('s0', 'TENANT_DB_S0', 1);
