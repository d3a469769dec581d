/**
 * The credential-gated batch (ADR 0014): a browse/search page is read in the
 * same D1 batch as the credential, behind a gate that stops the batch when
 * the credential would be refused. These tests hold it to three things:
 *  - the gate really stops the batch (nothing after it runs or persists);
 *  - every refusal on the prefetching route answers exactly as before, with
 *    no rows in the answer;
 *  - the handler uses prefetched results only for its very own statements.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { requireProjectPermissionWith, type KeyedReads, type PrefetchedProjectReads, type ProjectReads } from "~/.server/access/permissions.server";
import { listAssetsPrefetch } from "~/.server/assets/search.server";
import { authenticateTenantUser, credentialCheck } from "~/.server/auth/authenticate.server";
import { credentialGate, isCredentialRefusal, type PresentedCredential } from "~/.server/auth/credential-gate.server";
import { sha256Hex } from "~/.server/auth/crypto.server";
import { rawStatement } from "~/.server/db/raw-statement.server";
import { readConfig } from "~/.server/env/config.server";
import { ListAssetsQuerySchema } from "~/schemas/assets";
import { sql } from "drizzle-orm";
import { uploadAsset } from "../../support/assets";
import { call } from "../../support/http";
import { testContext } from "../../support/context";
import { prefetchOf } from "~/.server/routing/prefetch.server";
import * as apiListRoute from "~/routes/api.v1.projects.$projectId.assets";
import { WEB_MIRRORS } from "~/.server/routing/web-mirrors.server";
import { buildWorld, expectJson, freshToken, type World } from "../../support/world";
import { shardOf } from "../../support/shards";

type Page = { items: { id: string; name: string }[]; nextCursor: string | null };
type ErrorBody = { error: { code: string } };

const IP = "203.0.113.7";
const list = (projectId: string, token: string, query = "", ip = IP) =>
  call(`/api/v1/projects/${projectId}/assets${query}`, { token, headers: { "CF-Connecting-IP": ip } });

/** The presented credential for a session token, as authenticate.server.ts builds it. */
async function presented(world: World, token: string, over: Partial<PresentedCredential> = {}): Promise<PresentedCredential> {
  return { kind: "session", sessionKind: "api", tenantId: world.tenantA.id, hash: await sha256Hex(token), nowIso: new Date().toISOString(), ...over };
}

async function authenticate(token: string, projectId: string, query = {}) {
  return authenticateTenantUser(new Request("https://kura.test/api/v1/x", { headers: { Authorization: `Bearer ${token}` } }), env, readConfig(env), {
    via: "bearer",
    clientIp: IP,
    waitUntil: () => {},
    prefetch: listAssetsPrefetch(projectId, ListAssetsQuerySchema.parse(query)),
  });
}

let w: World;
let assetId: string;

beforeAll(async () => {
  w = await buildWorld("prefetch");
  assetId = (await uploadAsset(w.users.tenantAdmin.token, w.p1, "渋谷ロケ_prefetch.mov", "bytes")).id;
}, 60_000);

describe("the credential gate", () => {
  it("lets a batch through for a valid credential, and stops it (nothing after it persists) for any other", async () => {
    const shard = await shardOf(w.tenantA.id);
    const { drizzle } = await import("drizzle-orm/d1");
    const schema = await import("~/.server/db/tenant-schema");
    const db = drizzle(shard, { schema });
    const token = w.users.viewer.token;
    const hash = await sha256Hex(token);
    const lastSeen = async () => (await shard.prepare("SELECT last_seen_at AS t FROM sessions WHERE token_hash = ?").bind(hash).first<{ t: string }>())!.t;
    const mark = (value: string) => rawStatement(db, sql`UPDATE sessions SET last_seen_at = ${value} WHERE token_hash = ${hash}`);

    await db.batch([credentialGate(db, credentialCheck(db, await presented(w, token))), mark("2099-01-01T00:00:00.000Z")]);
    expect(await lastSeen()).toBe("2099-01-01T00:00:00.000Z");

    const refused: [string, Partial<PresentedCredential>][] = [
      ["an unknown token", { hash: await sha256Hex("kura_s_nothing") }],
      ["another tenant named in the token", { tenantId: w.tenantB.id }],
      ["the browser's kind of session", { sessionKind: "browser" }],
      ["a personal-token lookup of a session hash", { kind: "token" }],
      ["a time after the session's expiry", { nowIso: "2999-01-01T00:00:00.000Z" }],
    ];
    for (const [what, over] of refused) {
      const error = await db.batch([credentialGate(db, credentialCheck(db, await presented(w, token, over))), mark(`changed by ${what}`)]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, what).not.toBeNull();
      expect(isCredentialRefusal(error), `${what}: ${String(error)}`).toBe(true);
      expect(await lastSeen(), what).toBe("2099-01-01T00:00:00.000Z");
    }
    // Other failures are not mistaken for a refusal.
    const other = await db.batch([rawStatement(db, sql`SELECT * FROM no_such_table`)]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isCredentialRefusal(other)).toBe(false);
  });

  it("refuses the credentials of a tenant whose status mirror is not active (ADR 0015)", async () => {
    const shard = await shardOf(w.tenantA.id);
    const { drizzle } = await import("drizzle-orm/d1");
    const schema = await import("~/.server/db/tenant-schema");
    const db = drizzle(shard, { schema });
    const c = await presented(w, w.users.viewer.token);
    await shard.prepare("UPDATE tenant_settings SET status = 'terminated' WHERE tenant_id = ?").bind(w.tenantA.id).run();
    try {
      const error = await db.batch([credentialGate(db, credentialCheck(db, c))]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isCredentialRefusal(error)).toBe(true);
    } finally {
      await shard.prepare("UPDATE tenant_settings SET status = 'active' WHERE tenant_id = ?").bind(w.tenantA.id).run();
    }
    await db.batch([credentialGate(db, credentialCheck(db, c))]);
  });

  it("refuses a disabled user's still-stored session", async () => {
    const token = await freshToken(w.users.member);
    const shard = await shardOf(w.tenantA.id);
    const { drizzle } = await import("drizzle-orm/d1");
    const schema = await import("~/.server/db/tenant-schema");
    const db = drizzle(shard, { schema });
    await shard.prepare("UPDATE users SET status = 'disabled' WHERE id = ?").bind(w.users.member.id).run();
    try {
      const error = await db.batch([credentialGate(db, credentialCheck(db, await presented(w, token)))]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isCredentialRefusal(error)).toBe(true);
    } finally {
      await shard.prepare("UPDATE users SET status = 'active' WHERE id = ?").bind(w.users.member.id).run();
    }
  });
});

describe("the browse route with its page read alongside the credential", () => {
  it("has a prefetch on its loader in the API (the browser lists through the browse page's own loader, ADR 0021, so no web mirror mounts it)", () => {
    expect(typeof prefetchOf(apiListRoute.loader)).toBe("function");
    expect(WEB_MIRRORS.find((m) => m.path === "/projects/:projectId/assets")?.handlers).not.toContain("loader");
  });

  it("serves the page to a user with access", async () => {
    const page = await expectJson<Page>(list(w.p1, w.users.viewer.token), 200);
    expect(page.items.map((a) => a.id)).toContain(assetId);
  });

  it("answers every refusal as before, with no rows", async () => {
    const revoked = await freshToken(w.users.member);
    expect((await call("/api/v1/auth/logout", { method: "POST", token: revoked })).status).toBe(204);
    const cases: [string, Promise<Response>, number, string][] = [
      ["no such token", list(w.p1, "kura_s_0000000000.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), 401, "unauthenticated"],
      ["revoked session", list(w.p1, revoked), 401, "unauthenticated"],
      ["user without a grant on the project", list(w.p1, w.users.otherProject.token), 404, "not_found"],
      ["another tenant's admin", list(w.p1, w.users.otherTenantAdmin.token), 404, "not_found"],
      ["unknown project", list("prj_doesnotexist0000000000", w.users.tenantAdmin.token), 404, "not_found"],
    ];
    for (const [what, pending, status, code] of cases) {
      const res = await pending;
      const text = await res.text();
      expect(res.status, `${what}: ${text}`).toBe(status);
      expect((JSON.parse(text) as ErrorBody).error.code, what).toBe(code);
      expect(text, what).not.toContain(assetId);
    }
  });

  it("refuses an idle session and deletes it, although its page was read", async () => {
    const token = await freshToken(w.users.viewer);
    const shard = await shardOf(w.tenantA.id);
    const hash = await sha256Hex(token);
    await shard
      .prepare("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
      .bind(new Date(Date.now() - 3 * 3600_000).toISOString(), hash)
      .run();
    const res = await list(w.p1, token);
    const text = await res.text();
    expect(res.status).toBe(401);
    expect(text).not.toContain(assetId);
    await expect.poll(async () => (await shard.prepare("SELECT 1 FROM sessions WHERE token_hash = ?").bind(hash).first()) === null).toBe(true);
  });

  it("refuses a caller outside the tenant's IP allow-list with 403, without the page", async () => {
    const admin = w.users.tenantAdmin.token;
    await expectJson(
      call("/api/v1/tenant/settings", { method: "PATCH", token: admin, headers: { "CF-Connecting-IP": IP }, json: { ipAllowlist: [`${IP}/32`] } }),
      200,
    );
    try {
      const res = await list(w.p1, w.users.viewer.token, "", "198.51.100.9");
      const text = await res.text();
      expect(res.status).toBe(403);
      expect((JSON.parse(text) as ErrorBody).error.code).toBe("ip_not_allowed");
      expect(text).not.toContain(assetId);
      expect((await list(w.p1, w.users.viewer.token)).status).toBe(200);
    } finally {
      await expectJson(call("/api/v1/tenant/settings", { method: "PATCH", token: admin, headers: { "CF-Connecting-IP": IP }, json: { ipAllowlist: [] } }), 200);
    }
  });

  it("answers a bad query string with 400, as without the prefetch", async () => {
    const res = await list(w.p1, w.users.viewer.token, "?limit=0");
    expect(res.status).toBe(400);
    const cursor = await list(w.p1, w.users.viewer.token, "?cursor=%%%");
    expect(cursor.status).toBe(400);
  });
});

describe("prefetched results", () => {
  it("come back from authentication only for a valid credential", async () => {
    const ok = await authenticate(w.users.viewer.token, w.p1);
    expect(ok?.prefetched?.projectId).toBe(w.p1);
    expect(ok?.prefetched?.project.map((p) => p.id)).toEqual([w.p1]);
    expect(ok?.prefetched?.grants.map((g) => g.role)).toEqual(["viewer"]);
    expect((ok?.prefetched?.results[0] as { id: string }[]).map((r) => r.id)).toContain(assetId);
    const revoked = await freshToken(w.users.viewer);
    expect((await call("/api/v1/auth/logout", { method: "POST", token: revoked })).status).toBe(204);
    expect(await authenticate(revoked, w.p1)).toBeNull();
  });

  it("are used by the project guard only for the same tenant, project and reads", async () => {
    const auth = (await authenticate(w.users.tenantAdmin.token, w.p1))!;
    const ctx = testContext([], { principal: auth.principal, tenant: auth.data });
    const keyed = listAssetsPrefetch(w.p1, ListAssetsQuerySchema.parse({}))!;
    // A marker in place of the page: if it comes back, nothing was read again.
    const marked: PrefetchedProjectReads = { ...auth.prefetched!, results: [[{ id: "marker" }]] };
    const pageIds = async (over: Partial<PrefetchedProjectReads>, reads: KeyedReads | ProjectReads = keyed, projectId = w.p1) => {
      const { results } = await requireProjectPermissionWith({ ...ctx, prefetched: { ...marked, ...over } }, projectId, "asset.view", reads);
      return (results[0] as { id: string }[]).map((x) => x.id);
    };
    expect(await pageIds({})).toEqual(["marker"]);
    expect(await pageIds({ key: "another" })).toContain(assetId);
    expect(await pageIds({ tenantId: w.tenantB.id })).toContain(assetId);
    expect(await pageIds({ projectId: w.p2 })).toContain(assetId);
    expect(await pageIds({}, listAssetsPrefetch(w.p1, ListAssetsQuerySchema.parse({ q: "渋谷" }))!)).toContain(assetId);
    expect(await pageIds({}, keyed.reads)).toContain(assetId); // unkeyed reads are always read
    // The guard still decides: prefetched rows of a project the caller may not see are not returned.
    const outsider = (await authenticate(w.users.otherProject.token, w.p1))!;
    const outsiderCtx = testContext([], {
      principal: outsider.principal,
      tenant: outsider.data,
      prefetched: { ...outsider.prefetched!, results: [[{ id: "marker" }]] },
    });
    const denied = await requireProjectPermissionWith(outsiderCtx, w.p1, "asset.view", keyed).then(
      () => 0,
      (r: unknown) => (r instanceof Response ? r.status : -1),
    );
    expect(denied).toBe(404);
  });

  it("are keyed by everything the reads are built from", () => {
    const keyOf = (query: Record<string, unknown>, projectId = w.p1) => listAssetsPrefetch(projectId, ListAssetsQuerySchema.parse(query))!.key;
    const queries = [
      {},
      { q: "渋谷" },
      { q: "渋谷ロケ" },
      { sort: "name" },
      { limit: "10" },
      { kind: "video" },
      { folderId: "root" },
      { tag: ["a", "b"] },
      { tag: "a" },
    ];
    const keys = queries.map((q) => keyOf(q));
    expect(new Set(keys).size).toBe(queries.length);
    expect(keyOf({})).not.toBe(keyOf({}, w.p2));
    expect(keyOf({ q: "渋谷" })).toBe(keyOf({ q: "渋谷" }));
    // Metadata filters need the field definitions first: no prefetch.
    expect(listAssetsPrefetch(w.p1, ListAssetsQuerySchema.parse({ meta: "location:x" }))).toBeNull();
  });
});
