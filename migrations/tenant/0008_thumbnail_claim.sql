-- Issue #10 (thumbnails): a claim that makes writes of one asset's thumbnail take turns, so the stored
-- object, the row and the usage it adds always agree (ADR 0019).
ALTER TABLE `assets` ADD `thumbnail_claim` text;--> statement-breakpoint
-- Thumbnails now count in usage (ADR 0019): add those stored before this migration, so that
-- replacing or deleting them later subtracts only what was added.
UPDATE `project_usage` SET `bytes` = `bytes` + (
  SELECT coalesce(sum(`thumbnail_size`), 0) FROM `assets` WHERE `assets`.`project_id` = `project_usage`.`project_id`
);
