import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { defineApi } from "~/api/operations";
import { runPurgesNow } from "~/.server/offboarding/purge-job.server";
import { PurgeJobResponseSchema } from "~/schemas/offboarding";
import { allow } from "~/policy/access";
import { recordOperatorAction } from "~/.server/operator/operator-audit.server";

export const access = allow.operator();

export const api = defineApi({
  POST: {
    summary: "Run the purge now",
    description:
      "The same purges the 15-minute Cron Trigger starts: every terminated tenant whose `purgeAfter` has passed, each driven to " +
      "its end before the answer. Key first, then every stored object, every row, the audit log and every backup (ADR 0026).",
    tags: ["Operator"],
    responses: { 200: { description: "The tenants purged", schema: PurgeJobResponseSchema } },
  },
});

export const action = methodAction({
  POST: async ({ context }) => {
    const result = await runPurgesNow(context.env, new Date());
    context.logger.info("purge job", { purged: result.purged.length, pending: result.pending.length });
    await recordOperatorAction(context, { action: "jobs.purge_run", details: result });
    return json(result);
  },
});
