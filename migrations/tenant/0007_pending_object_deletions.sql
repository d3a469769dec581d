-- Stored objects of deleted assets waiting for removal from R2, written in the same batch as the
-- row delete and drained after it and by the scheduled job (ADR 0016).
CREATE TABLE `pending_object_deletions` (
	`tenant_id` text NOT NULL,
	`asset_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`tenant_id`, `asset_id`)
);
--> statement-breakpoint
CREATE INDEX `pending_object_deletions_created_idx` ON `pending_object_deletions` (`created_at`);