-- Issue #11 (defect 8): project names are unique per tenant, like group and role names (stored
-- NFC and trimmed; compared exactly). Deployed tenants may already hold duplicates, and creating
-- the index over them would fail, so every project after the first of its name (oldest
-- created_at, then smallest id) is renamed "<name> (<project id>)" first: deterministic, unique
-- because ids are, and cut so it stays within the 200 characters of a project name. The renames
-- are not audit events (a migration has no actor); admins see the new names in the project list.
UPDATE `projects` SET `name` = rtrim(substr(`name`, 1, 200 - length(`id`) - 3)) || ' (' || `id` || ')'
WHERE EXISTS (
  SELECT 1 FROM `projects` AS `earlier`
  WHERE `earlier`.`tenant_id` = `projects`.`tenant_id`
    AND `earlier`.`name` = `projects`.`name`
    AND (`earlier`.`created_at` < `projects`.`created_at` OR (`earlier`.`created_at` = `projects`.`created_at` AND `earlier`.`id` < `projects`.`id`))
);--> statement-breakpoint
DROP INDEX `projects_tenant_idx`;--> statement-breakpoint
CREATE UNIQUE INDEX `projects_tenant_name_unique` ON `projects` (`tenant_id`,`name`);
