/**
 * Identity fixtures for black-box API tests: every step goes through the real
 * Worker (`SELF.fetch`) exactly like an API client would, never through the
 * domain layer. Reused by the authentication, tenant administration and
 * authorization-matrix tests.
 *
 * Storage is isolated per test FILE, not per test: every helper that creates
 * something takes or generates unique slugs and e-mails (see `unique`).
 *
 * Rate limits are counted per client IP (`CF-Connecting-IP`) and per account
 * in the control plane. Helpers send a fixed IP unless told otherwise; tests
 * that provoke many failures should pass their own `ip: freshIp()`.
 */
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP, generateTOTP } from "@oslojs/otp";
import { expect } from "vitest";
import { operator, ORIGIN, OPERATOR_TOKEN, selfTransport, type ApiErrorBody } from "./http";
import { kuraClient, type ApiResult } from "./kura-client";

export const API = "/api/v1";

/** ≥ 12 characters and not on the common-password list. */
export const STRONG_PASSWORD = "correct-horse-battery-42";
export const OTHER_STRONG_PASSWORD = "purple-lantern-orbit-77";

/** The IP helpers send unless told otherwise (TEST-NET-3, RFC 5737). */
export const DEFAULT_IP = "203.0.113.10";
export { longPassword } from "./generated";

let counter = 0;
const runTag = Math.random().toString(36).slice(2, 7);

/** A unique lowercase token usable in slugs, names and e-mail local parts. */
export function unique(prefix = "t"): string {
  counter += 1;
  return `${prefix}-${runTag}-${counter}`.toLowerCase();
}

export function uniqueEmail(prefix = "user"): string {
  return `${unique(prefix)}@example.test`;
}

let ipCounter = 0;
/** A client IP no other test in this file uses (198.18.0.0/15, RFC 2544 benchmarking). */
export function freshIp(): string {
  ipCounter += 1;
  return `198.18.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
}

// ---------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------

export type { ApiInit, ApiResult } from "./kura-client";

const client = kuraClient(selfTransport, { origin: ORIGIN, operatorToken: OPERATOR_TOKEN, defaultIp: DEFAULT_IP });

/** One API call through the Worker (shared fixture API), from DEFAULT_IP unless `ip` says otherwise. */
export const api = client.api;

/** Asserts the contract's error shape and returns the body for further checks. */
export function expectError(res: ApiResult, status: number, code: string, what = ""): ApiErrorBody {
  const label = `${what} → ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, label).toBe(status);
  const body = res.body as ApiErrorBody;
  expect(body?.error?.code, label).toBe(code);
  expect(typeof body.error.message, label).toBe("string");
  return body;
}

/** Asserts a validation failure naming `path` among its details. */
export function expectValidation(res: ApiResult, path: string, what = ""): ApiErrorBody {
  const body = expectError(res, 400, "validation_failed", what);
  expect(
    body.error.details?.map((d) => d.path),
    `${what}: details ${JSON.stringify(body.error.details)}`,
  ).toContain(path);
  return body;
}

export function expectStatus(res: ApiResult, status: number, what = ""): void {
  expect(res.status, `${what} → ${res.status} ${res.text.slice(0, 300)}`).toBe(status);
}

// ---------------------------------------------------------------------------
// Types (as the contract and the implementation decisions describe them)
// ---------------------------------------------------------------------------

export type TenantSummary = { id: string; slug: string; name: string; status: string };
export type MeView = {
  id: string;
  email: string;
  name: string;
  tenant: { id: string; slug: string; name: string };
  tenantRole: "tenant_admin" | "user";
  twoFactorEnabled: boolean;
  locale: string | null;
};
export type LoginBody = { token: string; expiresAt: string; user: MeView };
export type UserView = {
  id: string;
  email: string;
  name: string;
  tenantRole: "tenant_admin" | "user";
  status: string;
  disabled: boolean;
  twoFactorEnabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
};
export type Role = { id: string; name: string; permissions: string[]; builtIn: boolean };
export type Group = { id: string; name: string; memberIds: string[] };
export type Project = { id: string; name: string; createdAt?: string; myPermissions?: string[] };

/** A signed-in user: who they are and a session token. */
export type Actor = {
  id: string;
  email: string;
  password: string;
  token: string;
  tenant: TenantSummary;
  tenantRole: "tenant_admin" | "user";
};

export type TenantFixture = { tenant: TenantSummary; admin: Actor };

// ---------------------------------------------------------------------------
// Operator and e-mail
// ---------------------------------------------------------------------------

export async function createTenant(p: { slug?: string; name?: string; adminEmail?: string } = {}) {
  const slug = p.slug ?? unique("tn");
  const adminEmail = p.adminEmail ?? `admin@${slug}.example.test`;
  const res = await operator(`${API}/operator/tenants`, {
    method: "POST",
    json: { slug, name: p.name ?? `Tenant ${slug}`, adminEmail },
  });
  const text = await res.text();
  expect(res.status, `create tenant ${slug}: ${text}`).toBe(201);
  const body = JSON.parse(text) as { tenant: TenantSummary; adminSetupToken: string };
  expect(typeof body.adminSetupToken).toBe("string");
  return { tenant: body.tenant, adminSetupToken: body.adminSetupToken, adminEmail };
}

export type Mail = { to: string; subject: string; text: string; createdAt: string };

export async function outbox(to: string): Promise<Mail[]> {
  const res = await operator(`${API}/operator/outbox?to=${encodeURIComponent(to)}`);
  const text = await res.text();
  expect(res.status, `GET outbox ${to}: ${text}`).toBe(200);
  return (JSON.parse(text) as { items: Mail[] }).items;
}

/** Polls the outbox (work after a response runs in waitUntil) until `match` finds a mail. */
export async function waitForMail(to: string, match: (m: Mail) => boolean = () => true, timeoutMs = 3000): Promise<Mail | null> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = (await outbox(to)).find(match);
    if (found) return found;
    if (Date.now() > until) return null;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The token of a `/setup?token=` or `/reset-password?token=` link in a mail body. */
export function linkToken(text: string, page: "setup" | "reset-password"): string | null {
  const m = new RegExp(`/${page}\\?token=([^\\s&"'<>]+)`).exec(text);
  return m ? decodeURIComponent(m[1] as string) : null;
}

// ---------------------------------------------------------------------------
// Authentication
// ---------------------------------------------------------------------------

export function setupPassword(token: string, password: string, ip: string | null = DEFAULT_IP) {
  return api(`/auth/setup`, { json: { token, password }, ip });
}

export function loginRequest(p: { tenant: string; email: string; password: string; otp?: string; ip?: string | null }) {
  const { ip, ...json } = p;
  return api<LoginBody>(`/auth/login`, { json, ip: ip === undefined ? DEFAULT_IP : ip });
}

/** Logs in and asserts 200; returns the login body. */
export async function login(p: { tenant: string; email: string; password: string; otp?: string; ip?: string | null }): Promise<LoginBody> {
  const res = await loginRequest(p);
  expectStatus(res, 200, `login ${p.email}@${p.tenant}`);
  return res.body;
}

/** A new tenant whose first admin has set a password and is signed in. */
export async function createTenantWithAdmin(p: { slug?: string; name?: string; adminEmail?: string; password?: string } = {}): Promise<TenantFixture> {
  const { tenant, adminSetupToken, adminEmail } = await createTenant(p);
  const password = p.password ?? STRONG_PASSWORD;
  expectStatus(await setupPassword(adminSetupToken, password), 200, "admin setup");
  const session = await login({ tenant: tenant.slug, email: adminEmail, password });
  return {
    tenant,
    admin: { id: session.user.id, email: session.user.email, password, token: session.token, tenant, tenantRole: "tenant_admin" },
  };
}

export async function inviteUser(adminToken: string, p: { email?: string; name?: string; tenantRole?: "tenant_admin" | "user" } = {}) {
  const email = p.email ?? uniqueEmail("user");
  const res = await api<{ user: UserView; setupToken: string }>(`/users`, {
    token: adminToken,
    json: { email, ...(p.name !== undefined ? { name: p.name } : {}), tenantRole: p.tenantRole ?? "user" },
  });
  expectStatus(res, 201, `invite ${email}`);
  return { ...res.body, email };
}

/** Invites a user, sets their password and signs them in. */
export async function createUser(
  fixture: TenantFixture,
  p: { email?: string; name?: string; tenantRole?: "tenant_admin" | "user"; password?: string } = {},
): Promise<Actor> {
  const invited = await inviteUser(fixture.admin.token, p);
  const password = p.password ?? STRONG_PASSWORD;
  expectStatus(await setupPassword(invited.setupToken, password), 200, `setup ${invited.email}`);
  const session = await login({ tenant: fixture.tenant.slug, email: invited.email, password });
  return {
    id: invited.user.id,
    email: session.user.email,
    password,
    token: session.token,
    tenant: fixture.tenant,
    tenantRole: p.tenantRole ?? "user",
  };
}

export async function me(token: string, ip?: string | null) {
  return api<MeView>(`/me`, { token, ip });
}

// ---------------------------------------------------------------------------
// TOTP
// ---------------------------------------------------------------------------

const STEP_SECONDS = 30;

export function currentStep(nowMs = Date.now()): number {
  return Math.floor(nowMs / 1000 / STEP_SECONDS);
}

/** The code of a given 30-second step (RFC 6238 is HOTP over the step counter). */
export function totpAt(key: Uint8Array, step: number): string {
  return generateHOTP(key, BigInt(step), 6);
}

/** The code of the current step, as an authenticator app shows it. */
export function totpNow(key: Uint8Array): string {
  return generateTOTP(key, STEP_SECONDS, 6);
}

/** Waits if the current step ends within `marginMs`, so a code stays valid while in flight. */
export async function awayFromStepBoundary(marginMs = 3000): Promise<void> {
  const intoStep = Date.now() % (STEP_SECONDS * 1000);
  if (intoStep > STEP_SECONDS * 1000 - marginMs) await new Promise((r) => setTimeout(r, STEP_SECONDS * 1000 - intoStep + 50));
}

/**
 * An authenticator that never replays a step. The server accepts the
 * previous, current and next step, each only once and only in increasing
 * order, so one device yields three codes per 30 s: it starts at the
 * previous step.
 */
export class Authenticator {
  private last: number | null = null;
  constructor(readonly key: Uint8Array) {}

  static fromSecret(secret: string): Authenticator {
    return new Authenticator(decodeBase32IgnorePadding(secret));
  }

  /** A fresh code (a step after the last one used). */
  async next(): Promise<string> {
    await awayFromStepBoundary();
    const now = currentStep();
    const step = this.last === null ? now - 1 : Math.max(this.last + 1, now - 1);
    if (step > now + 1) {
      // Out of fresh steps in this window: wait for the next one.
      await new Promise((r) => setTimeout(r, STEP_SECONDS * 1000 - (Date.now() % (STEP_SECONDS * 1000)) + 50));
      return this.next();
    }
    this.last = step;
    return totpAt(this.key, step);
  }

  /** The last code handed out (for replay tests). */
  lastCode(): string {
    if (this.last === null) throw new Error("no code used yet");
    return totpAt(this.key, this.last);
  }
}

export async function enrollTotp(token: string) {
  const res = await api<{ secret: string; otpauthUri: string }>(`/auth/totp/enroll`, { method: "POST", token, json: {} });
  expectStatus(res, 200, "totp enroll");
  return { ...res.body, device: Authenticator.fromSecret(res.body.secret) };
}

/** Enrols and confirms 2FA; returns the device and the recovery codes. */
export async function enableTotp(token: string) {
  const { device, secret, otpauthUri } = await enrollTotp(token);
  const res = await api<{ recoveryCodes: string[] }>(`/auth/totp/confirm`, { token, json: { otp: await device.next() } });
  expectStatus(res, 200, "totp confirm");
  return { device, secret, otpauthUri, recoveryCodes: res.body.recoveryCodes };
}

// ---------------------------------------------------------------------------
// Access model: projects, roles, groups, grants
// ---------------------------------------------------------------------------

export async function createProject(token: string, name = unique("project")): Promise<Project> {
  const res = await api<Project>(`/projects`, { token, json: { name } });
  expectStatus(res, 201, `create project ${name}`);
  return res.body;
}

export async function createRole(token: string, permissions: string[], name = unique("role")): Promise<Role> {
  const res = await api<Role>(`/roles`, { token, json: { name, permissions } });
  expectStatus(res, 201, `create role ${name}`);
  return res.body;
}

export async function createGroup(token: string, name = unique("group")): Promise<Group> {
  const res = await api<Group>(`/groups`, { token, json: { name } });
  expectStatus(res, 201, `create group ${name}`);
  return res.body;
}

export async function addToGroup(token: string, groupId: string, userId: string): Promise<void> {
  const res = await api(`/groups/${groupId}/members/${userId}`, { method: "PUT", token, json: {} });
  expectStatus(res, 200, `add ${userId} to group ${groupId}`);
}

export async function grantUser(token: string, projectId: string, userId: string, role: string): Promise<void> {
  const res = await api(`/projects/${projectId}/members/${userId}`, { method: "PUT", token, json: { role } });
  expectStatus(res, 200, `grant ${role} on ${projectId} to user ${userId}`);
}

export async function grantGroup(token: string, projectId: string, groupId: string, role: string): Promise<void> {
  const res = await api(`/projects/${projectId}/groups/${groupId}`, { method: "PUT", token, json: { role } });
  expectStatus(res, 200, `grant ${role} on ${projectId} to group ${groupId}`);
}

/** `myPermissions` of the caller in a project (asserts 200). */
export async function myPermissions(token: string, projectId: string): Promise<string[]> {
  const res = await api<Project>(`/projects/${projectId}`, { token });
  expectStatus(res, 200, `GET project ${projectId}`);
  return [...(res.body.myPermissions ?? [])].sort();
}

// ---------------------------------------------------------------------------
// The contract's vocabulary
// ---------------------------------------------------------------------------

export const CONTRACT_CAPABILITIES = [
  "asset.view",
  "asset.download_original",
  "asset.download_proxy",
  "asset.upload",
  "asset.edit_metadata",
  "asset.delete",
  "marker.edit",
  "search.use",
  "share.create",
  "collection.manage",
  "project.manage_members",
] as const;

export const METADATA_FIELD_TYPES = ["text", "textarea", "number", "date", "datetime", "select", "multiselect", "boolean", "url", "email"] as const;

// ---------------------------------------------------------------------------
// Lists (contract: ?limit= default 50, max 200; ?cursor=; {items, nextCursor})
// ---------------------------------------------------------------------------

/** Pages through a list with `limit`, asserting the page size; returns every item's `idOf`. */
export async function pageThrough<T>(token: string, path: string, limit: number, idOf: (item: T) => string, ip?: string): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  const sep = path.includes("?") ? "&" : "?";
  do {
    const url: string = `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res: ApiResult<{ items: T[]; nextCursor: string | null }> = await api(url, { token, ip });
    expectStatus(res, 200, url);
    expect(res.body, `${url}: nextCursor`).toHaveProperty("nextCursor");
    expect(res.body.items.length, `${url}: page size`).toBeLessThanOrEqual(limit);
    seen.push(...res.body.items.map(idOf));
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  return seen;
}
