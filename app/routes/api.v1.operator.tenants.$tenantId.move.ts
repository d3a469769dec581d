import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { defineApi } from "~/api/operations";
import { moveTenant } from "~/.server/backups/backup-job.server";
import { MoveBodySchema, MoveResponseSchema } from "~/schemas/backups";
import { TenantIdParamsSchema } from "~/schemas/tenant";
import { allow } from "~/policy/access";

export const access = allow.operator();

export const api = defineApi({
  POST: {
    summary: "Move a tenant to another tenant-data shard",
    description:
      "A fresh, verified backup of the tenant is restored into the shard (ADR 0028), then the shard map names it. Every " +
      "credential of the tenant is refused while the move runs; afterwards sessions have ended (users sign in again) and API " +
      "tokens work as before. Asset bytes, backups and the audit log do not move. Calls during a move to the same shard " +
      "wait for it and answer its result.",
    tags: ["Operator"],
    params: TenantIdParamsSchema,
    body: MoveBodySchema,
    responses: {
      200: { description: "Moved", schema: MoveResponseSchema },
      400: { description: "No such shard in the shard map" },
      404: { description: "No such tenant" },
      409: { description: "The tenant is not active, already on that shard, being moved elsewhere, or another job of it is running" },
      503: { description: "The move failed and was undone: the tenant works on its old shard (the operator is alerted)" },
    },
  },
});

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { tenantId } = parseParams(params, api.POST.params);
    const { shard } = await parseJsonBody(request, api.POST.body);
    const moved = await moveTenant(context, tenantId, shard);
    return json({ tenantId, from: moved.from, shard, generation: moved.generation, movedAt: new Date().toISOString() });
  },
});
