import { describe, expect, it } from "vitest";
import { call, ORIGIN } from "../../support/http";
import { createProject, createTenantWithAdmin, STRONG_PASSWORD } from "../../support/identity";
import * as remixBuild from "../../../build/server/index.js";
import type { ServerBuild } from "@remix-run/cloudflare";
import { routeCatalog } from "~/.server/routing/catalog.server";
import { resolveWebMirrors, WEB_MIRRORS } from "~/.server/routing/web-mirrors.server";

const build = remixBuild as unknown as ServerBuild;

/**
 * ADR 0012: the browser calls the API's own handlers under /web/v1,
 * authenticated by its session cookie and guarded by the Origin check; the
 * API itself never reads the cookie.
 */

// No route module per mirror any more: they are mounted from one list (WEB_MIRRORS).
const webModules = import.meta.glob<Record<string, unknown>>("../../../app/routes/web.v1.*.ts", { eager: true });

/** What browser code calls under /web/v1 (app/upload, app/components/assets/urls.ts, the upload panel, the asset page's player and marker panel, the guest portal's player, markers and verdicts). */
const BROWSER_CALLS: { path: string; handler: "loader" | "action" }[] = `
  loader /projects/:projectId/folders       action /projects/:projectId/folders
  action /projects/:projectId/assets        action /projects/:projectId/uploads
  loader /uploads/:uploadId                 action /uploads/:uploadId
  action /uploads/:uploadId/parts/:partNumber
  action /uploads/:uploadId/complete        loader /assets/:assetId
  loader /assets/:assetId/thumbnail         action /assets/:assetId/thumbnail
  loader /assets/:assetId/original          loader /assets/:assetId/media
  loader /assets/:assetId/stream            loader /assets/:assetId/derived/:name
  loader /assets/:assetId/proxy
  loader /assets/:assetId/markers           action /assets/:assetId/markers
  loader /assets/:assetId/markers/export    action /markers/:markerId
  action /markers/:markerId/replies
  loader /public/shares/:shareToken/assets
  loader /public/shares/:shareToken/assets/:assetId
  loader /public/shares/:shareToken/assets/:assetId/thumbnail
  loader /public/shares/:shareToken/assets/:assetId/stream
  loader /public/shares/:shareToken/assets/:assetId/derived/:name
  loader /public/shares/:shareToken/assets/:assetId/original
  loader /public/shares/:shareToken/assets/:assetId/proxy
  loader /public/shares/:shareToken/assets/:assetId/markers
  action /public/shares/:shareToken/assets/:assetId/markers
  action /public/shares/:shareToken/assets/:assetId/markers/:markerId/replies
  action /public/shares/:shareToken/assets/:assetId/approval
  action /public/shares/:shareToken/uploads`
  .trim()
  .split(/\s+(?=loader|action)/)
  .map((pair) => {
    const [handler, path] = pair.trim().split(/\s+/) as ["loader" | "action", string];
    return { path, handler };
  });

describe("the /web/v1 mirrors", () => {
  it("are one list, not route modules, and each names an API route whose handlers it mirrors", () => {
    expect(Object.keys(webModules)).toEqual([]);
    const catalog = routeCatalog(build.routes);
    const resolved = resolveWebMirrors(catalog, WEB_MIRRORS);
    expect(new Set(resolved.map((m) => m.webPath)).size).toBe(WEB_MIRRORS.length);
    for (const mirror of resolved) {
      const mod = build.routes[mirror.api.id]!.module as unknown as Record<string, unknown>;
      for (const handler of mirror.handlers) expect(typeof mod[handler], `${mirror.path} ${handler}`).toBe("function");
      // The API's policy is the mirror's: a tenant user's route, never the operator's; anonymous only
      // for a share's guest, whom the sharing domain checks (the portal's cookie on /web/v1).
      expect(mirror.api.access?.kind, mirror.path).toBe(mirror.path.startsWith("/public/shares/") ? "anonymous" : "tenant_user");
    }
    expect(() => resolveWebMirrors(catalog, [{ path: "/no/such/route", handlers: ["loader"] }])).toThrow(/no API route/);
  });

  it("cover what browser code calls, and nothing it does not", () => {
    const listed = WEB_MIRRORS.flatMap((m) => m.handlers.map((handler) => ({ path: m.path, handler })));
    for (const call of BROWSER_CALLS) expect(listed, `${call.path} ${call.handler}`).toContainEqual(call);
    const extra = listed.filter((l) => !BROWSER_CALLS.some((c) => c.path === l.path && c.handler === l.handler));
    expect(extra).toEqual([]);
  });
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
    // A mirrored path with a method it does not mirror: 405 in JSON.
    const original = await call(`/web/v1/assets/ast_aaaaaaaaaaaaaaaaaaaaaaaaaa/original`, {
      method: "DELETE",
      headers: { Cookie: cookie, Origin: ORIGIN },
    });
    expect(original.status).toBe(405);
    expect((original.headers.get("Content-Type") ?? "").startsWith("application/json")).toBe(true);
    // Handlers no browser code calls are not mirrored either: the assets list, the uploads list,
    // and changing or deleting an asset (pages do those through their own actions).
    const unmirrored = [
      { path: `/web/v1/projects/${project.id}/assets`, method: "GET" },
      { path: `/web/v1/projects/${project.id}/uploads`, method: "GET" },
      { path: `/web/v1/assets/ast_aaaaaaaaaaaaaaaaaaaaaaaaaa`, method: "PATCH" },
      { path: `/web/v1/assets/ast_aaaaaaaaaaaaaaaaaaaaaaaaaa`, method: "DELETE" },
    ];
    for (const u of unmirrored) {
      const res = await call(u.path, {
        method: u.method,
        headers: { Cookie: cookie, Origin: ORIGIN, "Content-Type": "application/json" },
        ...(u.method === "PATCH" ? { body: "{}" } : {}),
      });
      expect(res.status, `${u.method} ${u.path}`).toBe(405);
    }
    // An API route no browser code calls is not mirrored: the API's 404 in JSON.
    const tags = await call(`/web/v1/projects/${project.id}/tags`, { headers: { Cookie: cookie } });
    expect(tags.status).toBe(404);
    expect(((await tags.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it("is not in the OpenAPI document", async () => {
    const doc = (await (await call("/api/v1/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).some((p) => p.startsWith("/web/"))).toBe(false);
    expect(Object.keys(doc.paths)).toContain("/api/v1/projects/{projectId}/uploads");
  });
});
