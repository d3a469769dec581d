/**
 * The authorization matrix, part 1: the coverage check over all rows, and
 * the identity and administration API rows. Parts 2 and 3 run the Assets
 * API rows and the UI rows (test/support/matrix.ts holds rows and runner).
 */
import { describe, expect, it } from "vitest";
import { routeCatalog } from "~/.server/routing/catalog.server";
import { operationsOf } from "~/api/operations";
import { call } from "../../support/http";
import { build, isCoreApiRow, matrixTests, rowKey, ROWS } from "../../support/matrix";
import { addUser, buildWorld, expectJson, snapshotTenant } from "../../support/world";

describe("authorization matrix", () => {
  it("has a row for every API operation and every mutating UI action, and no row for a route that does not exist", () => {
    const catalog = routeCatalog(build.routes);
    const required = new Set<string>();
    for (const route of catalog) {
      // /web/v1 routes re-export the /api/v1 handlers and policies for the browser's cookie session;
      // web-mirror.test.ts proves they are the very same functions, so their rows are the API's.
      if (route.path.startsWith("/web/")) continue;
      if (route.path.startsWith("/api/")) {
        if (route.api) for (const [method] of operationsOf(route.api)) required.add(`${method} ${route.path}`);
        else {
          if (route.hasLoader) required.add(`GET ${route.path}`);
          if (route.hasAction) required.add(`POST ${route.path}`);
        }
      } else if (route.hasAction) {
        // A form serving several buttons needs a row per button (intent).
        if (route.intents) for (const intent of route.intents) required.add(`POST ${route.path}#${intent}`);
        else required.add(`POST ${route.path}`);
      }
    }
    const covered = new Set(ROWS.map(rowKey));
    expect(
      [...required].filter((k) => !covered.has(k)),
      "routes missing from the matrix",
    ).toEqual([]);
    expect(
      [...covered].filter((k) => !required.has(k)),
      "matrix rows for routes that do not exist",
    ).toEqual([]);
  });

  matrixTests(ROWS.filter(isCoreApiRow), "mx");
});

describe("the matrix itself", () => {
  it("would notice a denial that changes data (the snapshot sees a single changed row)", async () => {
    const w = await buildWorld("mx-self");
    const before = await snapshotTenant(w.tenantA.id);
    await expectJson(w.asAdmin(`/api/v1/users/${w.users.viewer.id}`, { method: "PATCH", json: { name: "changed" } }), 200);
    expect(await snapshotTenant(w.tenantA.id)).not.toEqual(before);
    // …and does not see reads as changes.
    const again = await snapshotTenant(w.tenantA.id);
    await expectJson(call("/api/v1/me", { token: w.users.viewer.token }), 200);
    expect(await snapshotTenant(w.tenantA.id)).toEqual(again);
  }, 60_000);

  it("addUser helper users can sign in (sanity of the fixtures)", async () => {
    const w = await buildWorld("mx-fx");
    const u = await addUser(w.users.tenantAdmin.token, w.tenantA.slug, "late@x.example");
    await expectJson(call("/api/v1/me", { token: u.token }), 200);
  }, 60_000);
});
