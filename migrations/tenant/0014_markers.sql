CREATE TABLE `markers` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`project_id` text NOT NULL,
	`asset_id` text NOT NULL,
	`parent_id` text,
	`start_frame` integer,
	`end_frame` integer,
	`rate_num` integer,
	`rate_den` integer,
	`text` text NOT NULL,
	`color` text,
	`shapes` text,
	`resolved` integer DEFAULT false NOT NULL,
	`author_type` text NOT NULL,
	`author_id` text,
	`author_name` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `markers_asset_idx` ON `markers` (`tenant_id`,`asset_id`,`start_frame`);