CREATE TABLE `share_approvals` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`share_id` text NOT NULL,
	`link_id` text NOT NULL,
	`asset_id` text NOT NULL,
	`guest_key` text NOT NULL,
	`guest_email` text,
	`status` text NOT NULL,
	`note` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `share_approvals_guest_unique` ON `share_approvals` (`tenant_id`,`share_id`,`asset_id`,`guest_key`);--> statement-breakpoint
CREATE INDEX `share_approvals_asset_idx` ON `share_approvals` (`tenant_id`,`asset_id`);--> statement-breakpoint
ALTER TABLE `share_guest_sessions` ADD `guest_email` text;--> statement-breakpoint
ALTER TABLE `share_guest_sessions` ADD `code_hash` text;--> statement-breakpoint
ALTER TABLE `share_guest_sessions` ADD `code_expires_at` text;--> statement-breakpoint
ALTER TABLE `share_guest_sessions` ADD `verified_at` text;--> statement-breakpoint
ALTER TABLE `shares` ADD `watermark` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `shares` ADD `verify_email` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `shares` ADD `upload_folder_id` text;