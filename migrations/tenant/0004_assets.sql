CREATE TABLE `asset_tags` (
	`tenant_id` text NOT NULL,
	`project_id` text NOT NULL,
	`asset_id` text NOT NULL,
	`tag` text NOT NULL,
	PRIMARY KEY(`asset_id`, `tag`)
);
--> statement-breakpoint
CREATE INDEX `asset_tags_project_tag_idx` ON `asset_tags` (`project_id`,`tag`);--> statement-breakpoint
CREATE TABLE `assets` (
	`rid` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`project_id` text NOT NULL,
	`folder_id` text,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`size` integer NOT NULL,
	`content_type` text NOT NULL,
	`kind` text NOT NULL,
	`status` text DEFAULT 'processing' NOT NULL,
	`problem` text,
	`sha256` text,
	`etag` text,
	`technical` text DEFAULT '{}' NOT NULL,
	`duration_seconds` real,
	`width` integer,
	`height` integer,
	`metadata` text DEFAULT '{}' NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`color_label` text,
	`search_text` text DEFAULT '' NOT NULL,
	`thumbnail_content_type` text,
	`thumbnail_size` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`created_by` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`processed_at` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assets_id_unique` ON `assets` (`id`);--> statement-breakpoint
CREATE INDEX `assets_project_created_idx` ON `assets` (`project_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `assets_project_name_idx` ON `assets` (`project_id`,`name_key`,`id`);--> statement-breakpoint
CREATE INDEX `assets_project_size_idx` ON `assets` (`project_id`,`size`,`id`);--> statement-breakpoint
CREATE INDEX `assets_folder_created_idx` ON `assets` (`folder_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `assets_folder_name_idx` ON `assets` (`folder_id`,`name_key`,`id`);--> statement-breakpoint
CREATE INDEX `assets_status_idx` ON `assets` (`status`,`updated_at`);--> statement-breakpoint
CREATE TABLE `folders` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`project_id` text NOT NULL,
	`parent_id` text,
	`name` text NOT NULL,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`created_by` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `folders_sibling_name_unique` ON `folders` (`project_id`,coalesce(`parent_id`, ''),`name`);--> statement-breakpoint
CREATE INDEX `folders_parent_idx` ON `folders` (`parent_id`);--> statement-breakpoint
CREATE TABLE `project_usage` (
	`project_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`bytes` integer DEFAULT 0 NOT NULL,
	`assets` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `saved_searches` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`query` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `saved_searches_user_name_unique` ON `saved_searches` (`user_id`,`project_id`,`name`);--> statement-breakpoint
CREATE TABLE `upload_parts` (
	`tenant_id` text NOT NULL,
	`upload_id` text NOT NULL,
	`part_number` integer NOT NULL,
	`etag` text NOT NULL,
	`size` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`upload_id`, `part_number`),
	FOREIGN KEY (`upload_id`) REFERENCES `uploads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `uploads` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`project_id` text NOT NULL,
	`folder_id` text,
	`asset_id` text NOT NULL,
	`name` text NOT NULL,
	`size` integer NOT NULL,
	`content_type` text,
	`part_size` integer NOT NULL,
	`part_count` integer NOT NULL,
	`r2_upload_id` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`expires_at` text NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `uploads_tenant_status_idx` ON `uploads` (`tenant_id`,`status`);--> statement-breakpoint
CREATE INDEX `uploads_expiry_idx` ON `uploads` (`status`,`expires_at`);--> statement-breakpoint
CREATE TABLE `usage_daily` (
	`tenant_id` text NOT NULL,
	`day` text NOT NULL,
	`bytes` integer NOT NULL,
	`assets` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `day`)
);
--> statement-breakpoint
-- Full-text search over name, tags and text metadata (assets.search_text).
-- Trigram tokenizer: CJK has no spaces, so substrings of >= 3 characters
-- match (shorter queries fall back to LIKE in search.server.ts). External
-- content: the text is stored once, in assets; triggers keep the index in step.
CREATE VIRTUAL TABLE `assets_fts` USING fts5(search_text, content='assets', content_rowid='rid', tokenize='trigram');
--> statement-breakpoint
CREATE TRIGGER `assets_fts_ai` AFTER INSERT ON `assets` BEGIN
  INSERT INTO assets_fts(rowid, search_text) VALUES (new.rid, new.search_text);
END;
--> statement-breakpoint
CREATE TRIGGER `assets_fts_ad` AFTER DELETE ON `assets` BEGIN
  INSERT INTO assets_fts(assets_fts, rowid, search_text) VALUES ('delete', old.rid, old.search_text);
END;
--> statement-breakpoint
CREATE TRIGGER `assets_fts_au` AFTER UPDATE OF search_text ON `assets` BEGIN
  INSERT INTO assets_fts(assets_fts, rowid, search_text) VALUES ('delete', old.rid, old.search_text);
  INSERT INTO assets_fts(rowid, search_text) VALUES (new.rid, new.search_text);
END;
