import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody } from "~/.server/http/validation.server";
import { createShare } from "~/.server/sharing/shares.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { CreatedShareSchema, CreateShareBodySchema } from "~/schemas/review";

export const access = allow.tenantUser();

export const api = defineApi({
  POST: {
    summary: "Share a selection of a project's assets or a collection with people outside the tenant (share.create)",
    description:
      "`expiresAt` is required (at most 365 days ahead). With `recipients`, each e-mail gets its own link (revocable and counted on its own); " +
      "without, one anonymous link. `maxDownloads` caps each link's completed downloads of originals. `generatePassword` makes a random password, " +
      "answered once. Links carry only a 160-bit token; Kura keeps its SHA-256.",
    tags: ["Review"],
    body: CreateShareBodySchema,
    responses: { 201: { description: "Created", schema: CreatedShareSchema } },
  },
});

export const action = methodAction({
  POST: async ({ request, context }) => json(await createShare(context, await parseJsonBody(request, api.POST.body)), { status: 201 }),
});
