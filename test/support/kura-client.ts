/**
 * The one fixture API of the test suites: a client of Kura's public HTTP API
 * that builds tenants, users, grants, projects and assets the way a customer's
 * script would. It knows nothing about where the Worker runs: integration tests
 * hand it `SELF.fetch` (workerd, `test/support/http.ts`), e2e tests hand it the
 * global `fetch` against `wrangler dev` (`test/e2e/helpers.ts`). So both suites
 * build their worlds through the same calls, and a contract change breaks both
 * at the same place.
 *
 * It must not import `cloudflare:test` or Node modules: it runs in both.
 */

export type Transport = (url: string, init: RequestInit) => Promise<Response>;

export type ApiInit = {
  method?: string;
  json?: unknown;
  body?: BodyInit;
  token?: string | null;
  /** Sent as CF-Connecting-IP; `null` sends none. */
  ip?: string | null;
  headers?: HeadersInit;
};

export type ApiResult<T = unknown> = { status: number; body: T; headers: Headers; text: string };

export type UploadOptions = { folderId?: string; type?: string };

export type ClientOptions = { origin: string; operatorToken: string; defaultIp?: string | null };

export type ClientAccount = { id: string; email: string; tenantSlug: string; token: string };

/** Thrown when a fixture step does not get the status it needs: the message carries the response. */
export class FixtureError extends Error {}

export function kuraClient(transport: Transport, options: ClientOptions) {
  const { origin, operatorToken } = options;

  /** One request through the Worker; `path` starting with `/api/v1` or not (then it is an API path). */
  function call(path: string, init: ApiInit & Omit<RequestInit, "headers" | "body"> = {}): Promise<Response> {
    const { json, token, ip, headers: given, body, ...rest } = init;
    const headers = new Headers(given);
    const sentIp = ip === undefined ? options.defaultIp : ip;
    if (sentIp) headers.set("CF-Connecting-IP", sentIp);
    if (json !== undefined) headers.set("Content-Type", "application/json");
    if (token) headers.set("Authorization", `Bearer ${token}`);
    return transport(origin + path, {
      ...rest,
      method: init.method ?? (json !== undefined || body !== undefined ? "POST" : "GET"),
      headers,
      body: json !== undefined ? JSON.stringify(json) : body,
    });
  }

  /** One API call; the body parsed as JSON when it is JSON, else left as text. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- callers name the body type they expect; untyped calls read it loosely
  async function api<T = any>(path: string, init: ApiInit = {}): Promise<ApiResult<T>> {
    const res = await call(path.startsWith("/api/") ? path : `/api/v1${path}`, init);
    const text = await res.text();
    let body: unknown = undefined;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return { status: res.status, body: body as T, headers: res.headers, text };
  }

  /** `api` that insists on one status: a fixture step that fails says what came back. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as api()
  async function must<T = any>(status: number, path: string, init: ApiInit = {}): Promise<T> {
    const res = await api<T>(path, init);
    if (res.status !== status)
      throw new FixtureError(
        `${init.method ?? (init.json !== undefined ? "POST" : "GET")} ${path} → ${res.status} (wanted ${status}): ${res.text.slice(0, 300)}`,
      );
    return res.body;
  }

  async function login(tenant: string, email: string, password: string, otp?: string): Promise<string> {
    return (await must<{ token: string }>(200, "/auth/login", { json: { tenant, email, password, ...(otp ? { otp } : {}) } })).token;
  }

  /** A tenant from the operator API, its first admin's password set through the setup token, signed in. */
  async function createTenant(p: { slug: string; name?: string; adminEmail?: string; password: string; storageQuotaBytes?: number }) {
    const adminEmail = p.adminEmail ?? `admin@${p.slug}.example`;
    const created = await must<{ tenant: { id: string }; adminSetupToken: string }>(201, "/operator/tenants", {
      token: operatorToken,
      json: { slug: p.slug, name: p.name ?? `Tenant ${p.slug}`, adminEmail, ...(p.storageQuotaBytes ? { storageQuotaBytes: p.storageQuotaBytes } : {}) },
    });
    const setup = await must<{ user: { id: string } }>(200, "/auth/setup", { json: { token: created.adminSetupToken, password: p.password } });
    const admin: ClientAccount = { id: setup.user.id, email: adminEmail, tenantSlug: p.slug, token: await login(p.slug, adminEmail, p.password) };
    return { id: created.tenant.id, slug: p.slug, admin };
  }

  /** A user invited by an admin, their password set through the setup token, signed in. */
  async function addUser(adminToken: string, tenantSlug: string, p: { email: string; password: string; name?: string; tenantRole?: "tenant_admin" | "user" }) {
    const invited = await must<{ user: { id: string }; setupToken: string }>(201, "/users", {
      token: adminToken,
      json: { email: p.email, tenantRole: p.tenantRole ?? "user", ...(p.name ? { name: p.name } : {}) },
    });
    await must(200, "/auth/setup", { json: { token: invited.setupToken, password: p.password } });
    const account: ClientAccount = { id: invited.user.id, email: p.email, tenantSlug, token: await login(tenantSlug, p.email, p.password) };
    return account;
  }

  async function createProject(token: string, name: string): Promise<string> {
    return (await must<{ id: string }>(201, "/projects", { token, json: { name } })).id;
  }

  async function createFolder(token: string, projectId: string, name: string, parentId?: string): Promise<string> {
    return (await must<{ id: string }>(201, `/projects/${projectId}/folders`, { token, json: { name, ...(parentId ? { parentId } : {}) } })).id;
  }

  async function grant(adminToken: string, projectId: string, userId: string, role: string): Promise<void> {
    await must(200, `/projects/${projectId}/members/${userId}`, { method: "PUT", token: adminToken, json: { role } });
  }

  /** A one-request upload (multipart), the response untouched. */
  function upload(token: string, projectId: string, name: string, bytes: Uint8Array<ArrayBuffer> | string, opts: UploadOptions = {}): Promise<Response> {
    const form = new FormData();
    form.set("file", new File([bytes], name, { type: opts.type ?? "application/octet-stream" }));
    if (opts.folderId) form.set("folderId", opts.folderId);
    return call(`/api/v1/projects/${projectId}/assets`, { method: "POST", token, body: form });
  }

  /** A one-request upload that must be accepted; returns the created asset. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as api()
  async function uploadAsset<T = any>(
    token: string,
    projectId: string,
    name: string,
    bytes: Uint8Array<ArrayBuffer> | string,
    opts: UploadOptions = {},
  ): Promise<T> {
    const res = await upload(token, projectId, name, bytes, opts);
    const text = await res.text();
    if (res.status !== 201) throw new FixtureError(`upload of ${name} → ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  /** Polls the asset until processing has finished (the queue consumer runs after about a second). */
  async function waitProcessed<T extends { status: string }>(token: string, assetId: string, timeoutMs = 20_000): Promise<T> {
    const started = Date.now();
    for (;;) {
      const asset = await must<T>(200, `/assets/${assetId}`, { token });
      if (asset.status !== "processing") return asset;
      if (Date.now() - started > timeoutMs) throw new FixtureError(`asset ${assetId} still processing after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return { origin, operatorToken, call, api, must, login, createTenant, addUser, createProject, createFolder, grant, upload, uploadAsset, waitProcessed };
}

export type KuraClient = ReturnType<typeof kuraClient>;
