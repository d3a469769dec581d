import type { KuraContext } from "../context";
import { listUsers } from "../identity/users.server";

/** Every user of the tenant, page by page (admin screens show them all). */
export async function allUsers(ctx: KuraContext) {
  const out: Awaited<ReturnType<typeof listUsers>>["items"] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await listUsers(ctx, { limit: 200, cursor });
    out.push(...page.items);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
}
