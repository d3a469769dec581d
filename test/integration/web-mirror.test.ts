import { describe, expect, it } from "vitest";
import { call, ORIGIN } from "../support/http";
import { createProject, createTenantWithAdmin, STRONG_PASSWORD } from "../support/identity";

/**
 * ADR 0012: the browser calls the API's own handlers under /web/v1,
 * authenticated by its session cookie and guarded by the Origin check; the
 * API itself never reads the cookie.
 */

type RouteModule = Record<string, unknown>;

// Every route module of both trees, keyed by file name.
const webModules = import.meta.glob<RouteModule>("../../app/routes/web.v1.*.ts", { eager: true });
const apiModules = import.meta.glob<RouteModule>("../../app/routes/api.v1.*.ts", { eager: true });

const fileOf = (path: string) => path.slice(path.lastIndexOf("/") + 1);

/** The API routes the browser needs (the upload and browse screens). */
const MIRRORED = [
  "projects.$projectId.uploads",
  "uploads.$uploadId",
  "uploads.$uploadId.parts.$partNumber",
  "uploads.$uploadId.complete",
  "projects.$projectId.assets",
  "projects.$projectId.folders",
  "folders.$folderId",
  "assets.$assetId",
  "assets.$assetId.thumbnail",
  "assets.$assetId.original",
  "assets.$assetId.proxy",
  "projects.$projectId.tags",
  "projects.$projectId.assets.bulk-update",
  "projects.$projectId.assets.bulk-delete",
  "projects.$projectId.assets.zip",
  "projects.$projectId.saved-searches",
  "saved-searches.$savedSearchId",
];

describe("the /web/v1 route modules", () => {
  const web = new Map(Object.entries(webModules).map(([p, m]) => [fileOf(p), m]));
  const apis = new Map(Object.entries(apiModules).map(([p, m]) => [fileOf(p), m]));

  it("are exactly the listed mirrors", () => {
    expect([...web.keys()].sort()).toEqual(MIRRORED.map((r) => `web.v1.${r}.ts`).sort());
  });

  for (const route of MIRRORED) {
    it(`web.v1.${route} re-exports the very handlers of api.v1.${route}, and not its OpenAPI entry`, () => {
      const mirror = web.get(`web.v1.${route}.ts`);
      const twin = apis.get(`api.v1.${route}.ts`);
      expect(mirror, "mirror module").toBeDefined();
      expect(twin, "API module").toBeDefined();
      expect("api" in mirror!).toBe(false);
      const expected = ["access", "loader", "action"].filter((k) => twin![k] !== undefined);
      expect(Object.keys(mirror!).sort()).toEqual(expected.sort());
      for (const name of expected) expect(mirror![name], name).toBe(twin![name]);
    });
  }
});

/** A browser session: the sign-in form posted like the page does. */
async function browserSession(tenant: string, email: string): Promise<string> {
  const res = await call("/login", {
    method: "POST",
    headers: { Origin: ORIGIN, Host: new URL(ORIGIN).host, "Accept-Language": "en" },
    body: new URLSearchParams({ intent: "password", tenant, email, password: STRONG_PASSWORD }),
    redirect: "manual",
  });
  expect(res.status).toBe(302);
  const raw = res.headers.getSetCookie().find((c) => c.startsWith("kura_session="));
  expect(raw, "no session cookie").toBeDefined();
  return raw!.split(";")[0]!;
}

describe("/web/v1 over HTTP", () => {
  it("works with the session cookie from our origin only; the API ignores the cookie", async () => {
    const { tenant, admin } = await createTenantWithAdmin();
    const project = await createProject(admin.token);
    const cookie = await browserSession(tenant.slug, admin.email);
    const folders = `/projects/${project.id}/folders`;
    const json = (extra: Record<string, string>) => ({ "Content-Type": "application/json", ...extra });

    // Same origin + cookie: created, by the API's own handler (same body shape).
    const created = await call(`/web/v1${folders}`, {
      method: "POST",
      headers: json({ Cookie: cookie, Origin: ORIGIN }),
      body: JSON.stringify({ name: "ロケハン" }),
    });
    expect(created.status).toBe(201);
    const folder = (await created.json()) as { id: string; name: string; parentId: string | null };
    expect(folder).toMatchObject({ name: "ロケハン", parentId: null });

    // Reading back through the mirror and through the API gives the same folder.
    const listed = await call(`/web/v1${folders}`, { headers: { Cookie: cookie } });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { items: { id: string }[] }).items.map((f) => f.id)).toEqual([folder.id]);
    const viaApi = await call(`/api/v1${folders}`, { token: admin.token });
    expect(((await viaApi.json()) as { items: { id: string }[] }).items.map((f) => f.id)).toEqual([folder.id]);

    // The same request from a foreign page: refused before any handler runs.
    const cross = await call(`/web/v1${folders}`, {
      method: "POST",
      headers: json({ Cookie: cookie, Origin: "https://evil.example" }),
      body: JSON.stringify({ name: "evil" }),
    });
    expect(cross.status).toBe(403);
    expect(((await cross.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    const noOrigin = await call(`/web/v1${folders}`, {
      method: "POST",
      headers: json({ Cookie: cookie, "Sec-Fetch-Site": "cross-site" }),
      body: JSON.stringify({ name: "evil" }),
    });
    expect(noOrigin.status).toBe(403);

    // Without the cookie: 401 in JSON (not a redirect to the sign-in page).
    const anonymous = await call(`/web/v1${folders}`, {
      method: "POST",
      headers: json({ Origin: ORIGIN }),
      body: JSON.stringify({ name: "anon" }),
      redirect: "manual",
    });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");
    const anonymousGet = await call(`/web/v1${folders}`, { redirect: "manual" });
    expect(anonymousGet.status).toBe(401);

    // A bearer token is not a credential on /web/v1 (only the cookie is).
    const bearerOnWeb = await call(`/web/v1${folders}`, { token: admin.token, redirect: "manual" });
    expect(bearerOnWeb.status).toBe(401);

    // The API with only the cookie: 401, for reads and writes.
    const cookieOnApi = await call(`/api/v1${folders}`, {
      method: "POST",
      headers: json({ Cookie: cookie, Origin: ORIGIN }),
      body: JSON.stringify({ name: "cookie-on-api" }),
    });
    expect(cookieOnApi.status).toBe(401);
    expect((await call(`/api/v1${folders}`, { headers: { Cookie: cookie } })).status).toBe(401);

    // Nothing of the refused requests was created.
    const after = await call(`/api/v1${folders}`, { token: admin.token });
    expect(((await after.json()) as { items: { name: string }[] }).items.map((f) => f.name)).toEqual(["ロケハン"]);
  });

  it("answers unknown /web/ paths and unsupported methods in JSON", async () => {
    const { tenant, admin } = await createTenantWithAdmin();
    const project = await createProject(admin.token);
    const cookie = await browserSession(tenant.slug, admin.email);
    const tags = await call(`/web/v1/projects/${project.id}/tags`, {
      method: "DELETE",
      headers: { Cookie: cookie, Origin: ORIGIN },
    });
    expect(tags.status).toBe(405);
    expect((tags.headers.get("Content-Type") ?? "").startsWith("application/json")).toBe(true);
  });

  it("is not in the OpenAPI document", async () => {
    const doc = (await (await call("/api/v1/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).some((p) => p.startsWith("/web/"))).toBe(false);
    expect(Object.keys(doc.paths)).toContain("/api/v1/projects/{projectId}/uploads");
  });
});
