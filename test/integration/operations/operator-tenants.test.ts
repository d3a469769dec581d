import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { isOperatorToken } from "~/.server/operator/operator-auth.server";
import { call, operator, type ApiErrorBody } from "../../support/http";

type TenantDetail = {
  id: string;
  slug: string;
  name: string;
  status: string;
  storageQuotaBytes: number;
  usage: { bytes: number; assets: number };
  terminatedAt: string | null;
  purgeAfter: string | null;
  purgedAt: string | null;
};

async function create(body: Record<string, unknown>) {
  return operator("/api/v1/operator/tenants", { method: "POST", json: body });
}

describe("POST /api/v1/operator/tenants", () => {
  it("creates an active tenant in the control plane and its settings in a shard", async () => {
    const res = await create({ slug: "studio-tokyo", name: "スタジオ東京", adminEmail: "Boss@Studio.Example" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { tenant: { id: string; slug: string; name: string; status: string } };
    expect(body.tenant).toEqual({
      id: expect.stringMatching(/^tnt_[a-z2-7]{26}$/),
      slug: "studio-tokyo",
      name: "スタジオ東京",
      status: "active",
    });

    const row = await env.CONTROL_DB.prepare("SELECT admin_email, shard_key, storage_quota_bytes FROM tenants WHERE id = ?")
      .bind(body.tenant.id)
      .first<{ admin_email: string; shard_key: string; storage_quota_bytes: number }>();
    expect(row).toEqual({ admin_email: "boss@studio.example", shard_key: "s0", storage_quota_bytes: 100 * 1024 ** 3 });
    const settings = await env.TENANT_DB_S0.prepare("SELECT tenant_id FROM tenant_settings WHERE tenant_id = ?").bind(body.tenant.id).first();
    expect(settings).toEqual({ tenant_id: body.tenant.id });
  });

  it("honours storageQuotaBytes and reports it with zero usage", async () => {
    const res = await create({ slug: "quota-co", name: "Q", adminEmail: "q@q.example", storageQuotaBytes: 5_000_000 });
    const { tenant } = (await res.json()) as { tenant: { id: string } };
    const detail = (await (await operator(`/api/v1/operator/tenants/${tenant.id}`)).json()) as TenantDetail;
    expect(detail).toMatchObject({
      id: tenant.id,
      slug: "quota-co",
      status: "active",
      storageQuotaBytes: 5_000_000,
      usage: { bytes: 0, assets: 0 },
      terminatedAt: null,
      purgeAfter: null,
      purgedAt: null,
    });
  });

  it("refuses a duplicate slug with 409 conflict, also when two requests race", async () => {
    expect((await create({ slug: "dup-slug", name: "A", adminEmail: "a@a.example" })).status).toBe(201);
    const again = await create({ slug: "dup-slug", name: "B", adminEmail: "b@b.example" });
    expect(again.status).toBe(409);
    expect(((await again.json()) as ApiErrorBody).error.code).toBe("conflict");

    const raced = await Promise.all([
      create({ slug: "race-slug", name: "A", adminEmail: "a@a.example" }),
      create({ slug: "race-slug", name: "B", adminEmail: "b@b.example" }),
    ]);
    expect(raced.map((r) => r.status).sort()).toEqual([201, 409]);
    const count = await env.CONTROL_DB.prepare("SELECT count(*) AS n FROM tenants WHERE slug = 'race-slug'").first<{ n: number }>();
    expect(count?.n).toBe(1);
  });

  it.each([
    ["A", "too short and uppercase"],
    ["ab", "two characters"],
    ["-abc", "leading hyphen"],
    ["abc-", "trailing hyphen"],
    ["Studio", "uppercase"],
    ["stu_dio", "underscore"],
    ["a".repeat(41), "41 characters"],
    ["スタジオ", "non-ASCII"],
  ])("rejects slug %j (%s) with 400 validation_failed on path slug", async (slug) => {
    const res = await create({ slug, name: "X", adminEmail: "x@x.example" });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ApiErrorBody;
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details?.map((d) => d.path)).toContain("slug");
    const stored = await env.CONTROL_DB.prepare("SELECT count(*) AS n FROM tenants WHERE slug = ?").bind(slug).first<{ n: number }>();
    expect(stored?.n).toBe(0);
  });

  it("accepts the slug boundaries (3 and 40 characters)", async () => {
    expect((await create({ slug: "a1b", name: "X", adminEmail: "x@x.example" })).status).toBe(201);
    expect((await create({ slug: "a".repeat(40), name: "X", adminEmail: "x@x.example" })).status).toBe(201);
  });

  it("lists every invalid field at once", async () => {
    const res = await create({ slug: "ok-slug", name: "", adminEmail: "not-an-email", storageQuotaBytes: -1 });
    const body = (await res.json()) as ApiErrorBody;
    expect(res.status).toBe(400);
    expect(body.error.details?.map((d) => d.path).sort()).toEqual(["adminEmail", "name", "storageQuotaBytes"]);
  });

  it("rejects unknown fields, non-JSON and broken JSON with 400, and huge bodies with 413", async () => {
    const extra = await create({ slug: "extra-x", name: "X", adminEmail: "x@x.example", status: "purged" });
    expect(extra.status).toBe(400);

    const form = await operator("/api/v1/operator/tenants", {
      method: "POST",
      body: "slug=x",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(400);
    expect(((await form.json()) as ApiErrorBody).error.code).toBe("bad_request");

    const broken = await operator("/api/v1/operator/tenants", { method: "POST", body: '{"slug":', headers: { "Content-Type": "application/json" } });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as ApiErrorBody).error.code).toBe("bad_request");

    const huge = await operator("/api/v1/operator/tenants", {
      method: "POST",
      body: JSON.stringify({ slug: "huge-x", name: "x".repeat(2 * 1024 * 1024), adminEmail: "x@x.example" }),
      headers: { "Content-Type": "application/json" },
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as ApiErrorBody).error.code).toBe("too_large");
  });
});

describe("operator authentication", () => {
  const paths = [
    ["GET", "/api/v1/operator/tenants"],
    ["POST", "/api/v1/operator/tenants"],
    ["GET", "/api/v1/operator/tenants/tnt_aaaaaaaaaaaaaaaaaaaaaaaaaa"],
  ] as const;

  it.each(paths)("%s %s without a token is 401 unauthenticated", async (method, path) => {
    const res = await call(path, { method, json: method === "POST" ? { slug: "nope-1", name: "N", adminEmail: "n@n.example" } : undefined });
    expect(res.status).toBe(401);
    expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
    expect(((await res.json()) as ApiErrorBody).error.code).toBe("unauthenticated");
  });

  it.each(paths)("%s %s with a wrong token is 401 and changes nothing", async (method, path) => {
    for (const token of ["wrong", "test-operator-token-0123456789abcdeF", "test-operator-token-0123456789abcdef0"]) {
      const res = await call(path, { method, token, json: method === "POST" ? { slug: "nope-2", name: "N", adminEmail: "n@n.example" } : undefined });
      expect(res.status).toBe(401);
    }
    const n = await env.CONTROL_DB.prepare("SELECT count(*) AS n FROM tenants WHERE slug LIKE 'nope-%'").first<{ n: number }>();
    expect(n?.n).toBe(0);
  });

  it("does not accept the token from a cookie or a query string", async () => {
    const viaCookie = await call("/api/v1/operator/tenants", { headers: { Cookie: "token=test-operator-token-0123456789abcdef" } });
    expect(viaCookie.status).toBe(401);
    const viaQuery = await call("/api/v1/operator/tenants?token=test-operator-token-0123456789abcdef");
    expect(viaQuery.status).toBe(401);
  });

  it("treats a missing or short configured token as 'operator API disabled'", async () => {
    expect(await isOperatorToken("anything", undefined)).toBe(false);
    expect(await isOperatorToken("short", "short")).toBe(false);
    expect(await isOperatorToken("x".repeat(32), "x".repeat(32))).toBe(true);
  });
});

describe("GET /api/v1/operator/tenants", () => {
  it("pages through every tenant exactly once with limit and cursor", async () => {
    const slugs = ["page-a", "page-b", "page-c", "page-d", "page-e"];
    for (const slug of slugs) await create({ slug, name: slug, adminEmail: `${slug}@x.example` });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const res = await operator(`/api/v1/operator/tenants${query}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { items: TenantDetail[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((t) => t.slug));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen.filter((s) => s.startsWith("page-"))).toEqual(slugs);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("rejects a bad limit or cursor with 400 validation_failed", async () => {
    for (const q of ["?limit=0", "?limit=201", "?limit=abc", "?cursor=%%%", "?cursor=bm90LWpzb24"]) {
      const res = await operator(`/api/v1/operator/tenants${q}`);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as ApiErrorBody).error.code).toBe("validation_failed");
    }
  });

  it("gives 404 not_found for unknown and malformed tenant ids", async () => {
    for (const id of ["tnt_aaaaaaaaaaaaaaaaaaaaaaaaaa", "nope", "../../etc"]) {
      const res = await operator(`/api/v1/operator/tenants/${encodeURIComponent(id)}`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as ApiErrorBody).error.code).toBe("not_found");
    }
  });

  it("answers an unsupported method with 405 in the error format", async () => {
    const res = await operator("/api/v1/operator/tenants", { method: "PUT", json: {} });
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toContain("POST");
    expect(((await res.json()) as ApiErrorBody).error.code).toBe("method_not_allowed");
  });
});

describe("PATCH /api/v1/operator/tenants/{id}", () => {
  it("changes the quota and the admin contact, which hold at once; bad bodies are 400 and change nothing", async () => {
    const created = (await (await create({ slug: "quota-change", name: "容量変更", adminEmail: "a@quota.example", storageQuotaBytes: 1000 })).json()) as {
      tenant: { id: string };
    };
    const id = created.tenant.id;
    const path = `/api/v1/operator/tenants/${id}`;
    for (const body of [
      {},
      { storageQuotaBytes: 0 },
      { storageQuotaBytes: -5 },
      { storageQuotaBytes: 1.5 },
      { adminEmail: "nope" },
      { name: "改名" },
      { slug: "x" },
    ]) {
      const res = await operator(path, { method: "PATCH", json: body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(((await (await operator(path)).json()) as TenantDetail).storageQuotaBytes).toBe(1000);
    const res = await operator(path, { method: "PATCH", json: { storageQuotaBytes: 5_000_000_000, adminEmail: "New@Quota.Example" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, storageQuotaBytes: 5_000_000_000, status: "active", shard: "s0", movingTo: null });
    expect(await env.CONTROL_DB.prepare("SELECT admin_email FROM tenants WHERE id = ?").bind(id).first("admin_email")).toBe("new@quota.example");
    const logged = await env.CONTROL_DB.prepare("SELECT details FROM operator_audit WHERE action = 'tenant.contract_updated' AND target_id = ?")
      .bind(id)
      .first<string>("details");
    // The log names what changed and the quota, never the contact address.
    expect(JSON.parse(logged!)).toEqual({ fields: ["adminEmail", "storageQuotaBytes"], storageQuotaBytes: 5_000_000_000 });
    expect(logged).not.toContain("quota.example");
    expect((await operator("/api/v1/operator/tenants/tnt_aaaaaaaaaaaaaaaaaaaaaaaaaa", { method: "PATCH", json: { storageQuotaBytes: 1 } })).status).toBe(404);
    // A purged tenant keeps only its certificate's facts.
    await env.CONTROL_DB.prepare("UPDATE tenants SET status = 'purged' WHERE id = ?").bind(id).run();
    expect((await operator(path, { method: "PATCH", json: { storageQuotaBytes: 1 } })).status).toBe(409);
  });
});
