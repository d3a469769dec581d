import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseQuery } from "~/.server/http/validation.server";
import { listTenantShares } from "~/.server/sharing/share-lists.server";
import { createShare } from "~/.server/sharing/shares.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { pageOf } from "~/schemas/common";
import { CreatedShareSchema, CreateShareBodySchema, ListSharesQuerySchema, ShareListItemSchema } from "~/schemas/review";

/** Creating is for holders of share.create on the project (checked in the domain); the tenant-wide list for tenant admins. */
export const access = allow.tenantUser();

export const api = defineApi({
  GET: {
    summary: "Every share of the tenant, newest first, with state and per-link counters (tenant admins)",
    description: "Filter by `state` (active, paused, expired, revoked) and `projectId`; paged by `limit` and `cursor`.",
    tags: ["Review"],
    query: ListSharesQuerySchema,
    responses: { 200: { description: "Shares", schema: pageOf(ShareListItemSchema) }, 403: { description: "Not a tenant admin" } },
  },
  POST: {
    summary: "Share a selection of a project's assets or a collection with people outside the tenant (share.create)",
    description:
      "`expiresAt` is required (at most 365 days ahead). With `recipients`, each e-mail gets its own link (revocable and counted on its own); " +
      "without, one anonymous link. `maxDownloads` caps each link's completed downloads of originals. `generatePassword` makes a random password, " +
      "answered once. `notify` e-mails each recipient their own link (never the password), with `message` if given. " +
      "Links carry only a 160-bit token; Kura keeps its SHA-256.",
    tags: ["Review"],
    body: CreateShareBodySchema,
    responses: { 201: { description: "Created", schema: CreatedShareSchema } },
  },
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { items, nextCursor } = await listTenantShares(context, parseQuery(request, api.GET.query));
  return json({ items: items.map(({ assetNames: _names, ...share }) => share), nextCursor });
}

export const action = methodAction({
  POST: async ({ request, context }) => json(await createShare(context, await parseJsonBody(request, api.POST.body)), { status: 201 }),
});
