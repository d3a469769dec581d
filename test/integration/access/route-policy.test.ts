import { createRequestHandler, type ServerBuild } from "@remix-run/cloudflare";
import { describe, expect, it } from "vitest";
import * as remixBuild from "../../../build/server/index.js";
import { withRoutePolicies } from "~/.server/policy/guard.server";
import { routeCatalog } from "~/.server/routing/catalog.server";
import { allow, isRouteAccess } from "~/policy/access";
import { testContext } from "../../support/context";

const build = remixBuild as unknown as ServerBuild;

describe("route access policies", () => {
  it("every route in the manifest declares a valid access policy", () => {
    const catalog = routeCatalog(build.routes);
    expect(catalog.length).toBeGreaterThan(5);
    const undeclared = catalog.filter((r) => r.access === null).map((r) => `${r.id} (${r.path})`);
    expect(undeclared, `routes without \`export const access = allow.…\`: ${undeclared.join(", ")}`).toEqual([]);
  });

  it("an anonymous declaration must say why", () => {
    expect(isRouteAccess(allow.anonymous("public page"))).toBe(true);
    expect(isRouteAccess({ kind: "anonymous", reason: "  " })).toBe(false);
    expect(isRouteAccess({ kind: "anonymous" })).toBe(false);
    expect(isRouteAccess({ kind: "operator" })).toBe(true);
    expect(isRouteAccess({ kind: "everyone" })).toBe(false);
    expect(isRouteAccess(undefined)).toBe(false);
  });

  /** The real build with one route's declaration removed, as a mistake would. */
  function buildWithout(routeId: string): ServerBuild {
    const route = build.routes[routeId]!;
    const { access: _dropped, ...module } = route.module as unknown as Record<string, unknown>;
    return { ...build, routes: { ...build.routes, [routeId]: { ...route, module: module as never } } };
  }

  it("denies a page whose module declares nothing (deny by default), and runs nothing of it", async () => {
    const guarded = withRoutePolicies(buildWithout("routes/status"));
    const handler = createRequestHandler(guarded);
    const catalog = routeCatalog(guarded.routes);
    expect(catalog.find((r) => r.id === "routes/status")?.access).toBeNull();
    const res = await handler(new Request("https://kura.test/status"), testContext(catalog));
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).not.toContain('data-component="database"');
  });

  it("denies an API route whose module declares nothing", async () => {
    const handler = createRequestHandler(withRoutePolicies(buildWithout("routes/api.v1.status")));
    const res = await handler(new Request("https://kura.test/api/v1/status"), testContext());
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: "forbidden", message: "This route is not available." } });
  });

  it("denies a mutation too when the route declares nothing", async () => {
    const handler = createRequestHandler(withRoutePolicies(buildWithout("routes/locale")));
    const res = await handler(new Request("https://kura.test/locale", { method: "POST", body: new URLSearchParams({ locale: "en" }) }), testContext());
    expect(res.status).toBe(403);
    expect(res.headers.get("Set-Cookie")).toBeNull();
  });
});
