import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { defineApi } from "~/api/operations";
import { runBackupsNow } from "~/.server/backups/backup-job.server";
import { BackupJobResponseSchema } from "~/schemas/backups";
import { allow } from "~/policy/access";
import { recordOperatorAction } from "~/.server/operator/operator-audit.server";

export const access = allow.operator();

export const api = defineApi({
  POST: {
    summary: "Run the daily backup now",
    description:
      "The same runs the daily Cron Trigger starts (18:00 UTC), each driven to its end before the answer: a consistent, " +
      "sealed logical backup of every active tenant, after which exactly its newest two generations remain (ADR 0025).",
    tags: ["Operator"],
    responses: { 200: { description: "The generations made", schema: BackupJobResponseSchema } },
  },
});

export const action = methodAction({
  POST: async ({ context }) => {
    const result = await runBackupsNow(context.env, new Date());
    context.logger.info("backup job", { backups: result.backups.length, failed: result.failed.length });
    await recordOperatorAction(context, { action: "jobs.backup_run", details: { backups: result.backups.length, failed: result.failed } });
    return json(result);
  },
});
