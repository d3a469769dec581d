/**
 * The API dispatcher (ADR 0013): which handler a path reaches, with which
 * params, and what happens to methods without a handler. The rest of the
 * suite drives every real API route through it.
 */
import type { ServerBuild } from "@remix-run/cloudflare";
import { describe, expect, it } from "vitest";
import { apiDispatcher } from "~/.server/routing/api-dispatch.server";
import { routeCatalog } from "~/.server/routing/catalog.server";

const answer =
  (name: string) =>
  async ({ params }: { params: Record<string, string> }) =>
    Response.json({ name, params });

function fakeBuild(): ServerBuild {
  const route = (id: string, path: string, parentId: string | undefined, module: Record<string, unknown>) => ({ id, path, parentId, module });
  const routes = {
    root: route("root", "", undefined, { loader: answer("root") }),
    things: route("things", "api/v1/things/:thingId", "root", { loader: answer("thing"), action: answer("thing-action") }),
    special: route("special", "api/v1/things/special", "root", { loader: answer("special") }),
    parts: route("parts", "parts/:partNumber", "things", { action: answer("part") }),
    mirror: route("mirror", "web/v1/things/:thingId", "root", { loader: answer("web-thing") }),
    page: route("page", "projects/:projectId", "root", { loader: answer("page") }),
    rest: route("rest", "api/v1/*", "root", { loader: answer("catch-all"), action: answer("catch-all") }),
  };
  return { routes } as unknown as ServerBuild;
}

async function dispatch(path: string, method = "GET") {
  const build = fakeBuild();
  const dispatcher = apiDispatcher(build, routeCatalog(build.routes));
  const pending = dispatcher(new Request(`https://kura.test${path}`, { method }), {});
  if (!pending) return null;
  const res = await pending;
  return { status: res.status, body: (await res.json()) as { name?: string; params?: Record<string, string>; error?: { code: string } } };
}

describe("API dispatcher", () => {
  it("prefers a literal segment to a parameter, whatever the declaration order", async () => {
    expect((await dispatch("/api/v1/things/special"))?.body.name).toBe("special");
    expect((await dispatch("/api/v1/things/thg_1"))?.body).toEqual({ name: "thing", params: { thingId: "thg_1" } });
  });

  it("decodes parameters, ignores a trailing slash and matches literals exactly (issue #10: a path is the API or is not)", async () => {
    expect((await dispatch("/api/v1/things/%E6%B8%8B%E8%B0%B7/"))?.body.params).toEqual({ thingId: "渋谷" });
    // Another case is another path: the catch-all answers it, never a page.
    expect((await dispatch("/api/v1/Things/SPECIAL"))?.body.name).toBe("catch-all");
    // A look-alike of the prefix is the API's 404, never left to Remix (which would match it case-insensitively).
    expect(await dispatch("/API/v1/things/special")).toEqual({ status: 404, body: { error: expect.objectContaining({ code: "not_found" }) } });
    expect(await dispatch("/%61pi/v1/things/special")).toEqual({ status: 404, body: { error: expect.objectContaining({ code: "not_found" }) } });
  });

  it("joins nested route paths and sends other methods to the action", async () => {
    expect((await dispatch("/api/v1/things/t1/parts/3", "PUT"))?.body).toEqual({ name: "part", params: { thingId: "t1", partNumber: "3" } });
    expect((await dispatch("/api/v1/things/t1", "PATCH"))?.body.name).toBe("thing-action");
  });

  it("answers 405 in the contract's shape for a method the route has no handler for", async () => {
    expect(await dispatch("/api/v1/things/special", "POST")).toEqual({ status: 405, body: { error: expect.objectContaining({ code: "method_not_allowed" }) } });
  });

  it("falls back to the catch-all for unknown API paths, serves the /web mirror, and leaves pages to Remix", async () => {
    expect((await dispatch("/api/v1/nothing/here"))?.body).toEqual({ name: "catch-all", params: { "*": "nothing/here" } });
    expect((await dispatch("/web/v1/things/t2"))?.body.name).toBe("web-thing");
    expect(await dispatch("/projects/p1")).toBeNull();
    expect(await dispatch("/web/v1/unknown")).toEqual({ status: 404, body: { error: expect.objectContaining({ code: "not_found" }) } });
  });

  it("answers a malformed escape with the catch-all rather than throwing", async () => {
    expect((await dispatch("/api/v1/things/%E0%A4%A"))?.body.name).toBe("catch-all");
  });
});
