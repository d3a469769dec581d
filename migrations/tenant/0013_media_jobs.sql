CREATE TABLE `media_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`asset_id` text NOT NULL,
	`profile` integer NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempt` integer DEFAULT 1 NOT NULL,
	`stage` text,
	`error_code` text,
	`error_detail` text,
	`outputs` text DEFAULT '{}' NOT NULL,
	`technical` text,
	`dispatched_at` text,
	`heartbeat_at` text,
	`finished_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `media_jobs_asset_unique` ON `media_jobs` (`tenant_id`,`asset_id`);--> statement-breakpoint
CREATE INDEX `media_jobs_status_idx` ON `media_jobs` (`status`,`updated_at`);--> statement-breakpoint
CREATE TABLE `media_output_claims` (
	`job_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`name` text NOT NULL,
	`tenant_id` text NOT NULL,
	`upload_id` text NOT NULL,
	`state` text DEFAULT 'open' NOT NULL,
	`size` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`job_id`, `attempt`, `name`)
);
--> statement-breakpoint
ALTER TABLE `assets` ADD `derived_bytes` integer DEFAULT 0 NOT NULL;