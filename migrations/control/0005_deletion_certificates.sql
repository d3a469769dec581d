CREATE TABLE `deletion_certificates` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`purged_at` text NOT NULL,
	`body` text NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
