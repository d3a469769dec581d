CREATE TABLE `share_assets` (
	`tenant_id` text NOT NULL,
	`share_id` text NOT NULL,
	`asset_id` text NOT NULL,
	PRIMARY KEY(`share_id`, `asset_id`)
);
--> statement-breakpoint
CREATE INDEX `share_assets_asset_idx` ON `share_assets` (`tenant_id`,`asset_id`);--> statement-breakpoint
CREATE TABLE `share_download_slots` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`link_id` text NOT NULL,
	`started_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `share_download_slots_link_idx` ON `share_download_slots` (`tenant_id`,`link_id`);--> statement-breakpoint
CREATE TABLE `share_guest_sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`link_id` text NOT NULL,
	`expires_at` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `share_links` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`share_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`recipient_email` text,
	`accesses` integer DEFAULT 0 NOT NULL,
	`downloads` integer DEFAULT 0 NOT NULL,
	`last_access_at` text,
	`revoked_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `share_links_token_unique` ON `share_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `share_links_share_idx` ON `share_links` (`tenant_id`,`share_id`);--> statement-breakpoint
CREATE TABLE `shares` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`project_id` text NOT NULL,
	`collection_id` text,
	`scope` text NOT NULL,
	`download_original` integer DEFAULT true NOT NULL,
	`download_proxy` integer DEFAULT true NOT NULL,
	`comments` integer DEFAULT false NOT NULL,
	`approval` integer DEFAULT false NOT NULL,
	`expires_at` text NOT NULL,
	`password_hash` text,
	`max_downloads` integer,
	`paused` integer DEFAULT false NOT NULL,
	`revoked_at` text,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `shares_project_idx` ON `shares` (`tenant_id`,`project_id`);