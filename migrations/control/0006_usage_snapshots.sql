CREATE TABLE `quota_warnings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`level` integer NOT NULL,
	`notified_at` text NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `usage_snapshots` (
	`tenant_id` text NOT NULL,
	`day` text NOT NULL,
	`project_id` text NOT NULL,
	`bytes` integer NOT NULL,
	`assets` integer NOT NULL,
	`quota_bytes` integer,
	PRIMARY KEY(`tenant_id`, `day`, `project_id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `usage_snapshots_day_idx` ON `usage_snapshots` (`day`);