CREATE TABLE `collection_assets` (
	`tenant_id` text NOT NULL,
	`collection_id` text NOT NULL,
	`asset_id` text NOT NULL,
	`added_by` text,
	`added_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`collection_id`, `asset_id`)
);
--> statement-breakpoint
CREATE INDEX `collection_assets_asset_idx` ON `collection_assets` (`tenant_id`,`asset_id`);--> statement-breakpoint
CREATE TABLE `collections` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `collections_project_name_unique` ON `collections` (`tenant_id`,`project_id`,`name`);