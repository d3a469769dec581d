import type { ServerBuild } from "@remix-run/cloudflare";
import { describe, expect, it } from "vitest";
import * as remixBuild from "../../../build/server/index.js";
import { openApiPath } from "~/.server/openapi/document.server";
import { routeCatalog } from "~/.server/routing/catalog.server";
import { HTTP_METHODS } from "~/api/operations";
import { TENANT_SLUG } from "~/schemas/tenant";
import { call } from "../../support/http";

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> }; parameters?: { name: string; in: string }[]; security?: unknown[] }>
  >;
};
type JsonSchema = { properties?: Record<string, { pattern?: string; type?: string }>; required?: string[]; additionalProperties?: unknown };

const catalog = routeCatalog((remixBuild as unknown as ServerBuild).routes);
const apiRoutes = catalog.filter((r) => r.path.startsWith("/api/v1/") && !r.path.endsWith("/*"));

async function document(): Promise<Doc> {
  const res = await call("/api/v1/openapi.json");
  expect(res.status).toBe(200);
  return (await res.json()) as Doc;
}

describe("GET /api/v1/openapi.json", () => {
  it("is OpenAPI 3.1 and covers every API route and every method it handles", async () => {
    const doc = await document();
    expect(doc.openapi).toBe("3.1.0");
    expect(apiRoutes.length).toBeGreaterThanOrEqual(4);
    for (const route of apiRoutes) {
      expect(route.api, `${route.id} exports no \`api = defineApi(...)\``).not.toBeNull();
      const item = doc.paths[openApiPath(route.path)];
      expect(item, `${route.path} missing from the document`).toBeDefined();
      if (route.hasLoader) expect(item!.get, `${route.path} GET`).toBeDefined();
      if (route.hasAction) {
        const mutating = HTTP_METHODS.filter((m) => m !== "GET").map((m) => m.toLowerCase());
        expect(
          mutating.some((m) => item![m]),
          `${route.path} has an action but no documented mutation`,
        ).toBe(true);
      }
    }
  });

  it("describes the request body from the same zod schema that validates it", async () => {
    const doc = await document();
    const post = doc.paths["/api/v1/operator/tenants"]!.post!;
    const schema = post.requestBody!.content["application/json"]!.schema;
    expect(schema.properties?.slug?.pattern).toBe(TENANT_SLUG.source);
    expect(schema.required?.sort()).toEqual(["adminEmail", "name", "slug"]);
    expect(schema.additionalProperties).toBe(false);
    expect(post.security).toEqual([{ operatorToken: [] }]);
  });

  it("documents path and query parameters", async () => {
    const doc = await document();
    expect(doc.paths["/api/v1/operator/tenants/{tenantId}"]!.get!.parameters).toContainEqual(expect.objectContaining({ name: "tenantId", in: "path" }));
    const listParams = doc.paths["/api/v1/operator/tenants"]!.get!.parameters!.map((p) => `${p.in}:${p.name}`);
    expect(listParams).toEqual(expect.arrayContaining(["query:limit", "query:cursor"]));
  });
});
