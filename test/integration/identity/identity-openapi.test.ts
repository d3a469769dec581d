/**
 * Every endpoint of the contract's Authentication and Tenant administration
 * sections (and the operator outbox) is served and documented in the
 * OpenAPI document under its contract path and method.
 */
import { describe, expect, it } from "vitest";
import { call } from "../../support/http";

const CONTRACT_ENDPOINTS = [
  ["POST", "/auth/setup"],
  ["POST", "/auth/login"],
  ["POST", "/auth/logout"],
  ["POST", "/auth/password"],
  ["POST", "/auth/password-reset"],
  ["POST", "/auth/totp/enroll"],
  ["POST", "/auth/totp/confirm"],
  ["DELETE", "/auth/totp"],
  ["POST", "/auth/tokens"],
  ["DELETE", "/auth/tokens/{id}"],
  ["GET", "/me"],
  ["GET", "/users"],
  ["POST", "/users"],
  ["PATCH", "/users/{id}"],
  ["DELETE", "/users/{id}"],
  ["GET", "/tenant/settings"],
  ["PATCH", "/tenant/settings"],
  ["GET", "/permissions"],
  ["GET", "/roles"],
  ["POST", "/roles"],
  ["PATCH", "/roles/{id}"],
  ["DELETE", "/roles/{id}"],
  ["POST", "/groups"],
  ["PUT", "/groups/{groupId}/members/{userId}"],
  ["DELETE", "/groups/{groupId}/members/{userId}"],
  ["POST", "/projects"],
  ["GET", "/projects"],
  ["PUT", "/projects/{projectId}/members/{userId}"],
  ["DELETE", "/projects/{projectId}/members/{userId}"],
  ["PUT", "/projects/{projectId}/groups/{groupId}"],
  ["DELETE", "/projects/{projectId}/groups/{groupId}"],
  ["GET", "/metadata-fields"],
  ["POST", "/metadata-fields"],
  ["GET", "/operator/outbox"],
] as const;

/** "/api/v1/users/{userId}" and "/users/{id}" compare equal. */
const shape = (path: string) => path.replace(/^\/api\/v1/, "").replace(/\{[^}]+\}/g, "{}");

describe("OpenAPI coverage of the identity and administration endpoints", () => {
  it.each(CONTRACT_ENDPOINTS)("documents %s %s", async (method, path) => {
    const res = await call("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    const entry = Object.entries(doc.paths).find(([p]) => shape(p) === shape(path));
    expect(entry, `${path} is not in the document`).toBeDefined();
    expect(entry![1][method.toLowerCase()], `${method} ${path} is not documented`).toBeDefined();
  });
});
