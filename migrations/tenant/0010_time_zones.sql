-- Issue #11 (time zones, ADR 0023): the zone a user sees times in, and the tenant's default for users
-- who chose none. Null = the next rule (user -> tenant -> Asia/Tokyo for ja -> the browser's zone).
ALTER TABLE `tenant_settings` ADD `time_zone` text;--> statement-breakpoint
ALTER TABLE `users` ADD `time_zone` text;