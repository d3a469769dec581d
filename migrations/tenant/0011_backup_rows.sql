CREATE TABLE `backup_rows` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`run_id` text NOT NULL,
	`table_name` text NOT NULL,
	`row` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `backup_rows_run_idx` ON `backup_rows` (`tenant_id`,`run_id`,`id`);