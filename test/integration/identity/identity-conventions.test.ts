/**
 * The contract's conventions on the identity and administration endpoints:
 * JSON with charset, ISO 8601 UTC times, 204 without a body, the error
 * format, and 400 for bodies that fail their schema.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  api,
  createGroup,
  createProject,
  createRole,
  createTenantWithAdmin,
  createUser,
  expectError,
  expectStatus,
  freshIp,
  STRONG_PASSWORD,
  type Actor,
  type TenantFixture,
} from "../../support/identity";
import { call } from "../../support/http";

// Black-box flows make dozens of requests through the Worker; 5 s is too tight under load.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/;

let fx: TenantFixture;
let user: Actor;

beforeAll(async () => {
  fx = await createTenantWithAdmin();
  user = await createUser(fx);
  await createProject(fx.admin.token);
  await createGroup(fx.admin.token);
  await createRole(fx.admin.token, ["asset.view"]);
  await api(`/auth/tokens`, { token: user.token, json: { name: "conv" } });
  await api(`/metadata-fields`, { token: fx.admin.token, json: { key: "conv_field", label: "Conv", type: "text" } });
});

/** Every string value under a key ending in "At" must be an ISO 8601 UTC time. */
function timesIn(value: unknown, path = "$"): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => timesIn(v, `${path}[${i}]`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => (/At$/.test(k) && v !== null ? [[`${path}.${k}`, v] as [string, unknown]] : timesIn(v, `${path}.${k}`)));
  }
  return [];
}

describe("response conventions", () => {
  const reads = ["/me", "/users", "/tenant/settings", "/permissions", "/roles", "/groups", "/projects", "/metadata-fields", "/auth/tokens"];

  it.each(reads)("GET %s answers application/json; charset=utf-8 with ISO 8601 UTC times", async (path) => {
    const token = path === "/auth/tokens" ? user.token : fx.admin.token;
    const res = await api(path, { token });
    expectStatus(res, 200, path);
    expect(res.headers.get("Content-Type")?.toLowerCase().replace(/\s/g, "")).toBe("application/json;charset=utf-8");
    for (const [where, time] of timesIn(res.body)) expect(time, where).toMatch(ISO_UTC);
  });

  it("login answers JSON with charset and an ISO 8601 UTC expiresAt", async () => {
    const res = await api(`/auth/login`, { json: { tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD } });
    expectStatus(res, 200);
    expect(res.headers.get("Content-Type")?.toLowerCase().replace(/\s/g, "")).toBe("application/json;charset=utf-8");
    expect((res.body as { expiresAt: string }).expiresAt).toMatch(ISO_UTC);
  });

  it("errors come in the contract's format with JSON and charset", async () => {
    const res = await api(`/users`, { token: user.token });
    expectError(res, 403, "forbidden");
    expect(res.headers.get("Content-Type")?.toLowerCase().replace(/\s/g, "")).toBe("application/json;charset=utf-8");
    expect(Object.keys(res.body as object)).toEqual(["error"]);
  });

  it("401 answers carry WWW-Authenticate: Bearer", async () => {
    const res = await api(`/me`);
    expectError(res, 401, "unauthenticated");
    expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
  });
});

describe("request bodies that fail their schema", () => {
  it("non-JSON and broken JSON are 400 bad_request", async () => {
    const form = await call(`/api/v1/auth/login`, {
      method: "POST",
      body: "tenant=x&email=y&password=z",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": freshIp() },
    });
    expect(form.status).toBe(400);
    expect(((await form.json()) as { error: { code: string } }).error.code).toBe("bad_request");
    const broken = await call(`/api/v1/users`, {
      method: "POST",
      token: fx.admin.token,
      body: '{"email":',
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe("bad_request");
  });

  it("wrong types are 400 validation_failed naming the field", async () => {
    const cases: [string, string, unknown, string][] = [
      ["POST", "/users", { email: "ok@example.test", tenantRole: "user", name: 42 }, "name"],
      ["PATCH", `/users/${user.id}`, { disabled: "yes" }, "disabled"],
      ["PATCH", "/tenant/settings", { require2fa: "true" }, "require2fa"],
      ["PATCH", "/tenant/settings", { ipAllowlist: "203.0.113.0/24" }, "ipAllowlist"],
      ["POST", "/roles", { name: "r", permissions: "asset.view" }, "permissions"],
      ["POST", "/groups", { name: "" }, "name"],
      ["POST", "/projects", { name: "" }, "name"],
      ["POST", "/auth/tokens", { name: "t", expiresInDays: "30" }, "expiresInDays"],
    ];
    for (const [method, path, json, field] of cases) {
      const res = await api(path, { method, token: fx.admin.token, json });
      const body = expectError(res, 400, "validation_failed", `${method} ${path} ${JSON.stringify(json)}`);
      expect(
        body.error.details?.map((d) => d.path),
        `${method} ${path}`,
      ).toContain(field);
      for (const d of body.error.details ?? []) expect(typeof d.message).toBe("string");
    }
  });
});
