import { z } from "zod";
import type { RouteCatalog } from "../routing/catalog.server";
import type { AccessKind } from "~/policy/access";
import { operationsOf } from "~/api/operations";
import { ErrorBodySchema } from "~/schemas/common";

type JsonObject = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonObject {
  const out = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonObject;
  delete out.$schema;
  return out;
}

export function openApiPath(remixPath: string): string {
  return remixPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

function parameters(shape: z.ZodObject | undefined, where: "path" | "query"): JsonObject[] {
  if (!shape) return [];
  const object = jsonSchema(shape, "input") as { properties?: Record<string, JsonObject>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, schema]) => ({
    name,
    in: where,
    required: where === "path" || (object.required ?? []).includes(name),
    schema,
    ...(typeof schema.description === "string" ? { description: schema.description } : {}),
  }));
}

function securityOf(kind: AccessKind): JsonObject[] {
  if (kind === "operator") return [{ operatorToken: [] }];
  if (kind === "tenant_user" || kind === "tenant_admin") return [{ bearerToken: [] }];
  return [];
}

/** OpenAPI 3.1 document built from the `api` exports of the route modules. */
export function buildOpenApiDocument(routes: RouteCatalog, serverUrl: string): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    if (!route.api || !route.access) continue;
    const pathItem: JsonObject = {};
    for (const [method, op] of operationsOf(route.api)) {
      const responses: JsonObject = {};
      for (const [status, spec] of Object.entries(op.responses)) {
        responses[status] = {
          description: spec.description,
          ...(spec.schema ? { content: { [spec.contentType ?? "application/json"]: { schema: jsonSchema(spec.schema, "output") } } } : {}),
        };
      }
      responses.default = {
        description: "Error",
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      };
      pathItem[method.toLowerCase()] = {
        operationId: `${method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? "").toUpperCase())}`,
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        tags: op.tags,
        security: securityOf(route.access.kind),
        parameters: [...parameters(op.params, "path"), ...parameters(op.query, "query")],
        ...(op.body
          ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body, "input") } } } }
          : op.rawBody
            ? {
                requestBody: {
                  required: true,
                  description: op.rawBody.description,
                  content: Object.fromEntries(
                    [op.rawBody, ...(op.rawBody.also ?? [])].map((b) => [b.contentType, { schema: b.schema ?? { type: "string", format: "binary" } }]),
                  ),
                },
              }
            : {}),
        responses,
      };
    }
    paths[openApiPath(route.path)] = pathItem;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Kura API",
      version: "1.0.0",
      description: "Kura (蔵) media asset management. Contract: shared/contract/api-v1.md.",
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        operatorToken: { type: "http", scheme: "bearer", description: "OPERATOR_TOKEN secret" },
        bearerToken: {
          type: "http",
          scheme: "bearer",
          description: "A session token from POST /auth/login or a personal API token from POST /auth/tokens",
        },
      },
      schemas: { Error: jsonSchema(ErrorBodySchema, "output") },
    },
    paths,
  };
}
