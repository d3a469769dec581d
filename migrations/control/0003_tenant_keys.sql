CREATE TABLE `tenant_keys` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`wrapped_key` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
