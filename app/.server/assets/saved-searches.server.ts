import { and, asc, eq } from "drizzle-orm";
import { commitAudited, type AuditContext } from "../audit/record.server";
import { requireProjectPermission, type TenantScope } from "../access/permissions.server";
import { savedSearches } from "../db/tenant-schema";
import { tenantData } from "../db/tenant-data.server";
import { isUniqueViolation } from "../db/errors.server";
import { fail } from "../http/errors.server";
import { checkField } from "../http/validation.server";
import { newId } from "../ids/ids";
import type { z } from "zod";
import { CreateSavedSearchBodySchema, SavedSearchQuerySchema } from "~/schemas/assets";

/** Saved searches belong to one user in one project; nobody else sees them. */

type Ctx = AuditContext;
type Row = typeof savedSearches.$inferSelect;

export function savedSearchView(r: Row) {
  const parsed = SavedSearchQuerySchema.safeParse(JSON.parse(r.query));
  return { id: r.id, projectId: r.projectId, name: r.name, query: parsed.success ? parsed.data : {}, createdAt: r.createdAt };
}

export async function listSavedSearches(ctx: Ctx, projectId: string) {
  const { data, principal } = await requireProjectPermission(ctx, projectId, "asset.view");
  return (await savedSearchesStatement(data, principal.userId, projectId).all()).map(savedSearchView);
}

/** One user's saved searches in a project, by name (for callers that have passed the project guard). */
export function savedSearchesStatement(scope: TenantScope, userId: string, projectId: string) {
  return scope.db
    .select()
    .from(savedSearches)
    .where(and(eq(savedSearches.tenantId, scope.tenantId), eq(savedSearches.userId, userId), eq(savedSearches.projectId, projectId)))
    .orderBy(asc(savedSearches.name));
}

export async function createSavedSearch(ctx: Ctx, projectId: string, body: z.output<typeof CreateSavedSearchBodySchema>) {
  const { data, principal } = await requireProjectPermission(ctx, projectId, "asset.view");
  body = checkField(CreateSavedSearchBodySchema, body, "");
  const id = newId("savedSearch");
  try {
    const [rows] = await commitAudited(
      ctx,
      data,
      [
        data.db
          .insert(savedSearches)
          .values({ id, tenantId: data.tenantId, userId: principal.userId, projectId, name: body.name, query: JSON.stringify(body.query) })
          .returning(),
      ],
      { action: "saved_search.created", target: { type: "saved_search", id, name: body.name }, details: { projectId } },
    );
    return savedSearchView(rows[0]!);
  } catch (error) {
    if (isUniqueViolation(error)) fail("conflict", `You already have a saved search named "${body.name}" here.`, { reason: "saved_search_exists" });
    throw error;
  }
}

export async function deleteSavedSearch(ctx: Ctx, savedSearchId: string) {
  const data = await tenantData(ctx);
  if (ctx.principal.type !== "tenant_user") fail("unauthenticated", "Sign in first.");
  const mine = and(eq(savedSearches.tenantId, data.tenantId), eq(savedSearches.userId, ctx.principal.userId), eq(savedSearches.id, savedSearchId));
  const row = await data.db.select().from(savedSearches).where(mine).get();
  if (!row) fail("not_found", "No such saved search.");
  await commitAudited(ctx, data, [data.db.delete(savedSearches).where(mine)], {
    action: "saved_search.deleted",
    target: { type: "saved_search", id: savedSearchId, name: row.name },
    details: { projectId: row.projectId },
  });
}
