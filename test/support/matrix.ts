/**
 * The authorization matrix (rows and runner; the test files under
 * test/integration/access/authorization-matrix*.test.ts run slices of it): every API route (and every mutating UI action)
 * against every kind of principal. The matrix is data: a route without a row
 * fails the coverage test, and a row for a route that does not exist fails
 * too. For each denial the tenant's data must be exactly as before, and ids
 * of another tenant must give 404, never 403.
 */
import { env } from "cloudflare:test";
import { type ServerBuild } from "@remix-run/cloudflare";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as remixBuild from "../../build/server/index.js";
import { parseToken } from "~/.server/auth/tokens.server";
import { sha256Hex } from "~/.server/auth/crypto.server";
import { signGrant, type Grant } from "~/.server/media/signed-urls.server";
import { BUILT_IN_ROLES, type Capability } from "~/policy/capabilities";
import { pseudoRandomBytes, uploadAsset, waitProcessed } from "./assets";
import { browserSignIn, call, OPERATOR_TOKEN } from "./http";
import { shardOf } from "./shards";
import { recordStatements, statementsWithoutTenant } from "./statements";
import {
  buildWorld,
  CUSTOM_ROLE_PERMISSIONS,
  expectJson,
  freshToken,
  grant,
  PASSWORD,
  PRINCIPALS,
  snapshotTenant,
  auditTail,
  totpNow,
  type Account,
  type UserWho,
  type Who,
  type World,
} from "./world";

/**
 * "ok": any 2xx (3xx for UI forms); a number: exactly that status; "login":
 * a UI page that sends a visitor without a session to the sign-in form
 * (200: exactly that status, for a page that re-renders);
 * "consoleLogin": an operator console page that sends anyone without a console session (every
 * principal here: the console has its own accounts) to the console's sign-in;
 * "invalid": refused by the field's schema: 400 `validation_failed` from the
 * API, the form re-rendered with a `validation_failed` error on a page.
 */
type Outcome = "ok" | "login" | "consoleLogin" | "invalid" | 200 | 400 | 401 | 403 | 404 | 405;
type Expectation = Record<Who, Outcome>;

type Prepared = {
  params?: Record<string, string>;
  query?: string;
  json?: unknown;
  token?: string | null;
  /** UI rows: the form fields posted (default `locale=en`). */
  form?: Record<string, string>;
  /** API rows with a body that is not JSON (files, parts); UI rows with a multipart form (a file); built per call. */
  body?: () => BodyInit;
  headers?: Record<string, string>;
  after?: () => Promise<void>;
};

type Row = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The route's path pattern, as in the route manifest. */
  route: string;
  /** Distinguishes several rows of one route. */
  variant?: string;
  expect: Expectation;
  /** Makes this case's target (fresh per principal, so allowed mutations do not disturb other cases). */
  prepare?: (w: World, who: Who) => Promise<Prepared>;
  /** Why an allowed change leaves no event in the caller's tenant log (the exception must say why). */
  noAuditEvent?: string;
  /** UI rows: the button's intent (part of the row's identity), sent with the form. */
  form?: { intent: string };
};

// ---------------------------------------------------------------------------
// Expectation builders
// ---------------------------------------------------------------------------

const everyone = (o: Outcome): Expectation => Object.fromEntries(PRINCIPALS.map((p) => [p, o])) as Expectation;

const operatorOnly = (): Expectation => ({ ...everyone(401), operator: "ok" });

/** Any signed-in tenant user, each in their own tenant. */
const anyTenantUser = (): Expectation => ({ ...everyone("ok"), anonymous: 401, operator: 401 });

/**
 * Tenant admins only. `targetsTenantA`: the path names an object of tenant A,
 * which tenant B's admin must not even learn exists (404); otherwise B's admin
 * acts on B's own data (allowed, and A stays unchanged).
 */
const adminOnly = (targetsTenantA: boolean): Expectation => ({
  ...everyone(403),
  anonymous: 401,
  operator: 401,
  tenantAdmin: "ok",
  otherTenantAdmin: targetsTenantA ? 404 : "ok",
});

const ROLE_OF: Record<"projectAdmin" | "member" | "viewer", keyof typeof BUILT_IN_ROLES> = {
  projectAdmin: "project_admin",
  member: "member",
  viewer: "viewer",
};

/** A project-scoped route on P1 needing `cap` (null: any grant on the project). */
const projectCap = (cap: Capability | null): Expectation => {
  const has = (caps: readonly string[]) => (cap === null || caps.includes(cap) ? "ok" : 403);
  return {
    anonymous: 401,
    operator: 401,
    tenantAdmin: "ok",
    projectAdmin: has(BUILT_IN_ROLES[ROLE_OF.projectAdmin]),
    member: has(BUILT_IN_ROLES[ROLE_OF.member]),
    viewer: has(BUILT_IN_ROLES[ROLE_OF.viewer]),
    custom: has(CUSTOM_ROLE_PERMISSIONS),
    otherProject: 404,
    otherTenantAdmin: 404,
  };
};

// ---------------------------------------------------------------------------
// Target factories
// ---------------------------------------------------------------------------

let seq = 0;
const unique = (what: string) => `${what}-${++seq}`;

const account = (w: World, who: Who): Account | null => (who === "anonymous" || who === "operator" ? null : w.users[who as UserWho]);

const freshUser = async (w: World) =>
  (
    await expectJson<{ user: { id: string } }>(
      w.asAdmin("/api/v1/users", { method: "POST", json: { email: `${unique("t")}@x.example`, tenantRole: "user" } }),
      201,
    )
  ).user.id;

const freshGroup = async (w: World) =>
  (await expectJson<{ id: string }>(w.asAdmin("/api/v1/groups", { method: "POST", json: { name: unique("group") } }), 201)).id;

const freshRole = async (w: World) =>
  (await expectJson<{ id: string }>(w.asAdmin("/api/v1/roles", { method: "POST", json: { name: unique("role"), permissions: ["asset.view"] } }), 201)).id;

const freshField = async (w: World) =>
  (
    await expectJson<{ id: string }>(
      w.asAdmin("/api/v1/metadata-fields", { method: "POST", json: { key: unique("f").replace("-", "_"), label: "L", type: "text" } }),
      201,
    )
  ).id;

/**
 * An asset in P1, made by tenant A's admin, already processed: processing
 * changes its row, which must not happen inside a case's snapshots. Unnamed
 * ones are made ten at a time, because each batch waits for the queue once.
 */
const assetPool: string[] = [];
const freshAsset = async (w: World, name?: string) => {
  if (name) {
    const created = await uploadAsset(w.users.tenantAdmin.token, w.p1, name, pseudoRandomBytes(512, ++seq), { type: "video/quicktime" });
    return (await waitProcessed(w.users.tenantAdmin.token, created.id)).id;
  }
  if (assetPool.length === 0) {
    const made = await Promise.all(
      Array.from({ length: 10 }, () => uploadAsset(w.users.tenantAdmin.token, w.p1, `${unique("asset")}.bin`, pseudoRandomBytes(512, ++seq))),
    );
    for (const a of made) assetPool.push((await waitProcessed(w.users.tenantAdmin.token, a.id)).id);
  }
  return assetPool.pop()!;
};

/** One asset shared by the rows whose allowed cases only edit it. */
let sharedAssetId: Promise<string> | null = null;
const sharedAsset = (w: World) => (sharedAssetId ??= freshAsset(w, "mx-shared.mov"));

/** A fresh asset for the principals holding asset.delete on P1 (their case deletes it), else the shared one. */
const deletable = (w: World, who: Who) => (who === "tenantAdmin" || who === "projectAdmin" ? freshAsset(w) : sharedAsset(w));

const freshFolder = async (w: World) =>
  (await expectJson<{ id: string }>(w.asAdmin(`/api/v1/projects/${w.p1}/folders`, { method: "POST", json: { name: unique("folder") } }), 201)).id;

/** A text metadata field of tenant A for the metadata rows (created once). */
let noteField: Promise<string> | null = null;
const mxNoteField = (w: World) =>
  (noteField ??= expectJson<{ key: string }>(
    w.asAdmin("/api/v1/metadata-fields", { method: "POST", json: { key: "mx_note", label: "Note", type: "text" } }),
    201,
  ).then((f) => f.key));

/** A metadata CSV setting the note field of one asset to a new value (so an allowed import changes something). */
const metadataCsv = (assetId: string, field: string) => `id,metadata.${field}\r\n${assetId},${unique("csv-note")}\r\n`;

/** Uploads belong to whoever started them: callers who may upload start their own, others face the admin's. */
const uploaderToken = (w: World, who: Who) =>
  who === "tenantAdmin" || who === "projectAdmin" || who === "member" ? w.users[who].token : w.users.tenantAdmin.token;

const freshUpload = async (w: World, who: Who) =>
  (
    await expectJson<{ uploadId: string }>(
      call(`/api/v1/projects/${w.p1}/uploads`, { method: "POST", token: uploaderToken(w, who), json: { filename: `${unique("up")}.bin`, size: 10 } }),
      201,
    )
  ).uploadId;

/** A real 100×68 JPEG (thumbnails are decoded and checked whole, ADR 0019). */
const TINY_JPEG = Uint8Array.from(atob(env.TEST_MEDIA_FIXTURES["jpg_Canon_40D.jpg"]!), (c) => c.charCodeAt(0));
const JPEG_HEADERS = { "Content-Type": "image/jpeg" };

/** A derived object as the transcoder stores it (ADR 0030), without running one. */
const storeDerived = (w: World, assetId: string, name: "proxy" | "poster", type = name === "proxy" ? "video/mp4" : "image/jpeg") =>
  env.ASSETS.put(`tenants/${w.tenantA.id}/assets/${assetId}/derived/${name}`, `${name} bytes`, { httpMetadata: { contentType: type } });
const storeProxy = (w: World, assetId: string) => storeDerived(w, assetId, "proxy");

/** The signed grant the Worker gives the transcoder for a fresh asset's job (no transcoder runs here: the job is queued). */
const jobGrant = async (w: World, use: Grant["use"], name?: Grant["name"]) => {
  const assetId = await freshAsset(w);
  const job = await env.TENANT_DB_S0.prepare("SELECT id, attempt FROM media_jobs WHERE asset_id = ?").bind(assetId).first<{ id: string; attempt: number }>();
  const token = await signGrant(env, {
    tenantId: w.tenantA.id,
    jobId: job!.id,
    attempt: job!.attempt,
    use,
    name,
    expiresAt: Math.floor(Date.now() / 1000) + 600,
  });
  return { assetId, token: encodeURIComponent(token) };
};

/** A clip markers can be put on (30 frames at 29.97 DF), shared by the marker rows. */
const MARKABLE_CLIP = Uint8Array.from(atob(env.TEST_MEDIA_FIXTURES["tmcd_df_01000000.mov"]!), (c) => c.charCodeAt(0));
let markableAssetId: Promise<string> | null = null;
const markableAsset = (w: World) =>
  (markableAssetId ??= uploadAsset(w.users.tenantAdmin.token, w.p1, `${unique("clip")}.mov`, MARKABLE_CLIP, { type: "video/quicktime" }).then(
    async (a) => (await waitProcessed(w.users.tenantAdmin.token, a.id)).id,
  ));

/** A fresh marker of the tenant admin's on the shared clip (so only its author or an admin may change its text or delete it). */
const adminsMarker = async (w: World) => {
  const assetId = await markableAsset(w);
  return (
    await expectJson<{ id: string }>(
      call(`/api/v1/assets/${assetId}/markers`, { method: "POST", json: { startFrame: 1, text: unique("marker") }, token: w.users.tenantAdmin.token }),
      201,
    )
  ).id;
};

/** A fresh collection of the tenant admin's in P1, holding `assetId` when given. */
const freshCollection = async (w: World, assetId?: string) => {
  const id = (
    await expectJson<{ id: string }>(
      call("/api/v1/collections", { method: "POST", json: { projectId: w.p1, name: unique("collection") }, token: w.users.tenantAdmin.token }),
      201,
    )
  ).id;
  if (assetId) await expectJson(call(`/api/v1/collections/${id}/assets/${assetId}`, { method: "PUT", token: w.users.tenantAdmin.token }), 200);
  return id;
};

/**
 * One asset of P1 for the share rows, with a thumbnail, a proxy and a poster: each row shares it
 * anew (a share is cheap; an upload starts processing and a media job, which the file's other rows
 * already make plenty of).
 */
let guestAssetId: Promise<string> | undefined;
const guestAsset = (w: World) =>
  (guestAssetId ??= (async () => {
    const assetId = await freshAsset(w);
    await expectJson(
      call(`/api/v1/assets/${assetId}/thumbnail`, { method: "PUT", token: w.users.tenantAdmin.token, body: TINY_JPEG, headers: JPEG_HEADERS }),
      204,
    );
    await storeProxy(w, assetId);
    await storeDerived(w, assetId, "poster");
    return assetId;
  })());

/** A fresh anonymous share of one asset in P1 (download scope; the rows' shared asset unless given), opened by a guest. */
const freshShare = async (w: World, options: { assetId?: string; verifyEmail?: boolean } & Record<string, unknown> = {}) => {
  const assetId = options.assetId ?? (await guestAsset(w));
  const created = await expectJson<{ id: string; url: string }>(
    call("/api/v1/shares", {
      method: "POST",
      json: {
        projectId: w.p1,
        assetIds: [assetId],
        scope: "preview_download",
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        ...options,
        ...(options.verifyEmail ? { recipients: [`${unique("guest")}@example.com`] } : {}),
        assetId: undefined,
      },
      token: w.users.tenantAdmin.token,
    }),
    201,
  );
  const token = new URL(created.url).pathname.replace(/^\/s\//, "");
  const guest = await expectJson<{ guestToken: string }>(call(`/api/v1/public/shares/${token}/session`, { method: "POST", json: {} }), 200);
  return { id: created.id, token, assetId, guestToken: guest.guestToken };
};

/** The share's guest path and credentials for a row (the guest token overrides the caller's). */
const asGuest = (s: Awaited<ReturnType<typeof freshShare>>, extra: Record<string, string> = {}) => ({
  params: { shareToken: s.token, assetId: s.assetId, ...extra },
  token: s.guestToken,
});
/** A date and time `days` from now as a share form's datetime-local field holds it. */
const localExpiry = (days = 3) => `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T10:00`;

/**
 * A fresh share of tenant A's admin in P1 (of the shared asset, two recipients, no guest), for the
 * shares screens' buttons: each case acts on its own share. `paused`: already paused (for resume).
 */
const teamShare = async (w: World, opts: { paused?: boolean } = {}) => {
  const created = await expectJson<{ id: string }>(
    call("/api/v1/shares", {
      method: "POST",
      json: {
        projectId: w.p1,
        assetIds: [await sharedAsset(w)],
        scope: "preview",
        recipients: ["mx-one@example.com", "mx-two@example.com"],
        expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      },
      token: w.users.tenantAdmin.token,
    }),
    201,
  );
  if (opts.paused) await expectJson(call(`/api/v1/shares/${created.id}`, { method: "PATCH", json: { paused: true }, token: w.users.tenantAdmin.token }), 200);
  const view = await expectJson<{ links: { id: string }[] }>(call(`/api/v1/shares/${created.id}`, { token: w.users.tenantAdmin.token }), 200);
  return { shareId: created.id, linkId: view.links[0]!.id };
};

/** The form of each button of the shares screens, on a fresh share. */
const shareButtonForm = async (w: World, intent: string): Promise<Record<string, string>> => {
  const { shareId, linkId } = await teamShare(w, { paused: intent === "resume" });
  if (intent === "revoke-link") return { shareId, linkId };
  if (intent === "update") return { shareId, scope: "preview_download", downloadOriginal: "on", expiresAt: localExpiry(5), maxDownloads: "4" };
  return { shareId };
};

/** The share policy as the admin's form posts it: the defaults, so that later rows still create shares freely. */
const DEFAULT_POLICY_FORM = { defaultExpiryDays: "14", maxExpiryDays: "90", anonymousLinks: "on", downloads: "on" };

/** A fresh asset whose media job failed, so that an admin may retry it. */
const failedMediaAsset = async (w: World) => {
  const assetId = await freshAsset(w);
  await env.TENANT_DB_S0.prepare("UPDATE media_jobs SET status = 'failed', error_code = 'decode_failed' WHERE asset_id = ?").bind(assetId).run();
  return assetId;
};

/** An upload of someone other than the caller: the member's, or for the member the project admin's. */
const othersUpload = async (w: World, who: Who) =>
  (
    await expectJson<{ uploadId: string }>(
      call(`/api/v1/projects/${w.p1}/uploads`, {
        method: "POST",
        token: (who === "member" ? w.users.projectAdmin : w.users.member).token,
        json: { filename: `${unique("up")}.bin`, size: 10 },
      }),
      201,
    )
  ).uploadId;

/** UI forms: a tenant user with a browser session; anonymous and the operator have no cookie. */
const uiTenantUser = (): Expectation => ({ ...everyone("ok"), anonymous: "login", operator: "login" });
const uiAdminOnly = (targetsTenantA = false): Expectation => ({ ...adminOnly(targetsTenantA), anonymous: "login", operator: "login" });
const uiProjectCap = (cap: Capability | null): Expectation => ({ ...projectCap(cap), anonymous: "login", operator: "login" });

/** Values the shared field schemas (app/schemas/names.ts) refuse. */
const BAD = { dots: "..", dot: ".", bidi: "evil\u202Egpj.mov", control: "bell\u0007name", proto: "constructor" } as const;

/**
 * Tenant B's admin posting tenant A's id to an admin page: the schema refuses
 * the value before any lookup, but the refused row is not on B's page, so the
 * page re-renders (200) showing nothing, and nothing changes.
 */
function otherAdminUnseen(e: Expectation): Expectation {
  return { ...e, otherTenantAdmin: 200 };
}

/** Tenant users refused by the tenant-admin route policy, which answers before any body is read. */
const NON_ADMINS: readonly Who[] = ["projectAdmin", "member", "viewer", "custom", "otherProject"];

const UI_ORIGIN = "https://kura.test";

/**
 * The principal's browser session (null: no cookie), signed in through the sign-in form once and
 * reused while its row lasts. A case that ends it (sign-out, password change, role change, 2FA
 * reset, deletion) deletes the row, and the next case signs in again: the matrix then runs with
 * the sessions a user really has instead of one sign-in per case.
 */
const browserSessions = new WeakMap<World, Map<Who, string>>();
async function browserCookie(w: World, who: Who): Promise<string | null> {
  const a = account(w, who);
  if (!a) return null;
  const mine = browserSessions.get(w) ?? browserSessions.set(w, new Map()).get(w)!;
  const kept = mine.get(who);
  if (kept && (await sessionRowExists(kept))) return kept;
  const cookie = await browserSignIn({ tenant: a.tenantSlug, email: a.email, password: PASSWORD });
  mine.set(who, cookie);
  return cookie;
}

/** Whether the session behind a `kura_session=…` cookie pair still has its unexpired row. */
async function sessionRowExists(cookie: string): Promise<boolean> {
  const parsed = await parseToken(cookie.slice(cookie.indexOf("=") + 1));
  if (!parsed) return false;
  const row = await (
    await shardOf(parsed.tenantId)
  )
    .prepare("SELECT 1 AS alive FROM sessions WHERE tenant_id = ? AND token_hash = ? AND expires_at > ?")
    .bind(parsed.tenantId, parsed.hash, new Date().toISOString())
    .first();
  return row !== null;
}

/** A fresh session of the principal (null for anonymous/operator: their own credential is used). */
async function ownFreshToken(w: World, who: Who): Promise<string | null | undefined> {
  const a = account(w, who);
  return a ? freshToken(a) : undefined;
}

async function enrolTotp(token: string): Promise<string> {
  return (await expectJson<{ secret: string }>(call("/api/v1/auth/totp/enroll", { method: "POST", token }), 200)).secret;
}

// ---------------------------------------------------------------------------
// The matrix
// ---------------------------------------------------------------------------

export const ROWS: Row[] = [
  // Public
  { method: "GET", route: "/api/v1/status", expect: everyone("ok") },
  { method: "GET", route: "/api/v1/openapi.json", expect: everyone("ok") },
  { method: "GET", route: "/api/v1/*", expect: everyone(404) },
  { method: "POST", route: "/api/v1/*", expect: everyone(404) },
  {
    method: "POST",
    route: "/api/v1/auth/login",
    expect: everyone("ok"),
    prepare: async (w) => ({ json: { tenant: w.tenantA.slug, email: w.users.viewer.email, password: PASSWORD } }),
  },
  {
    method: "POST",
    route: "/api/v1/auth/setup",
    expect: everyone("ok"),
    prepare: async (w) => {
      const invited = await expectJson<{ setupToken: string }>(
        w.asAdmin("/api/v1/users", { method: "POST", json: { email: `${unique("s")}@x.example`, tenantRole: "user" } }),
        201,
      );
      return { json: { token: invited.setupToken, password: PASSWORD } };
    },
  },
  {
    method: "POST",
    route: "/api/v1/auth/password-reset",
    noAuditEvent: "asks for an unknown e-mail: nothing happens, and nothing may tell the caller so",
    expect: everyone("ok"),
    prepare: async (w) => ({ json: { tenant: w.tenantA.slug, email: `${unique("nobody")}@x.example` } }),
  },

  // Operator
  { method: "GET", route: "/api/v1/operator/tenants", expect: operatorOnly() },
  {
    method: "POST",
    route: "/api/v1/operator/tenants",
    noAuditEvent: "the operator creates a new tenant; its first event is in that tenant's own log",
    expect: operatorOnly(),
    prepare: async () => {
      const slug = unique("mx-new");
      return { json: { slug, name: slug, adminEmail: `a@${slug}.example` } };
    },
  },
  { method: "GET", route: "/api/v1/operator/tenants/:tenantId", expect: operatorOnly(), prepare: async (w) => ({ params: { tenantId: w.tenantA.id } }) },
  { method: "GET", route: "/api/v1/operator/outbox", expect: operatorOnly() },
  {
    method: "POST",
    route: "/api/v1/operator/jobs/backup",
    noAuditEvent: "the backup's own event (backup.created, by the system) lands in each tenant's log after the run",
    expect: operatorOnly(),
  },
  {
    method: "POST",
    route: "/api/v1/operator/announcements",
    noAuditEvent: "an announcement is the operator's own record in the control plane (the operator audit log is to come)",
    expect: operatorOnly(),
    prepare: async (w) => ({ json: { severity: "maintenance", title: "Matrix maintenance", body: "Nothing happens.", tenantIds: [w.tenantA.id] } }),
  },
  {
    method: "POST",
    route: "/api/v1/operator/tenants/:tenantId/restore",
    noAuditEvent:
      "restoring needs a generation, and the world has none: the operator gets the contract's 404 (the restore's own event is tested in backup-restore.test.ts)",
    expect: { ...operatorOnly(), operator: 404 },
    prepare: async (w) => ({ params: { tenantId: w.tenantA.id }, json: { generation: "2026-01-01" } }),
  },
  {
    method: "PATCH",
    route: "/api/v1/operator/tenants/:tenantId",
    noAuditEvent: "a contract's quota is the operator's record in the control plane (the operator log has it, operator-tenants.test.ts)",
    expect: operatorOnly(),
    prepare: async (w) => ({ params: { tenantId: w.tenantA.id }, json: { storageQuotaBytes: 500_000_000_000 } }),
  },
  {
    method: "POST",
    route: "/api/v1/operator/tenants/:tenantId/move",
    noAuditEvent: "the world has one shard: the operator gets the 400 for a shard not in the map (a real move and its event: tenant-move.test.ts)",
    expect: { ...operatorOnly(), operator: 400 },
    prepare: async (w) => ({ params: { tenantId: w.tenantA.id }, json: { shard: "s-none" } }),
  },
  {
    method: "GET",
    route: "/api/v1/operator/tenants/:tenantId/backups",
    expect: operatorOnly(),
    prepare: async (w) => ({ params: { tenantId: w.tenantA.id } }),
  },
  {
    method: "POST",
    route: "/api/v1/operator/tenants/:tenantId/terminate",
    noAuditEvent: "the event (operator.tenant_terminated) goes to the terminated tenant's own log, a throwaway one here (purge.test.ts)",
    expect: operatorOnly(),
    prepare: async () => {
      const slug = unique("mx-end");
      const res = await call("/api/v1/operator/tenants", { token: OPERATOR_TOKEN, json: { slug, name: slug, adminEmail: `a@${slug}.example` } });
      expect(res.status).toBe(201);
      return { params: { tenantId: (await res.json<{ tenant: { id: string } }>()).tenant.id } };
    },
  },
  {
    method: "POST",
    route: "/api/v1/operator/jobs/purge",
    noAuditEvent: "a purge deletes the purged tenant's log with everything else (ADR 0026); the world's tenants are active",
    expect: operatorOnly(),
  },
  {
    method: "GET",
    route: "/api/v1/operator/tenants/:tenantId/deletion-certificate",
    expect: { ...operatorOnly(), operator: 404 },
    prepare: async (w) => ({ params: { tenantId: w.tenantA.id } }),
  },
  { method: "GET", route: "/api/v1/operator/usage", expect: operatorOnly() },
  {
    method: "GET",
    route: "/api/v1/operator/tenants/:tenantId/usage",
    expect: operatorOnly(),
    prepare: async (w) => ({ params: { tenantId: w.tenantA.id }, query: "?days=7" }),
  },
  {
    method: "GET",
    route: "/api/v1/operator/tenants/:tenantId/audit/export",
    expect: operatorOnly(),
    prepare: async (w) => ({ params: { tenantId: w.tenantA.id }, query: "?reference=matrix-case" }),
  },

  // The signed-in user's own account
  { method: "GET", route: "/api/v1/me", expect: anyTenantUser() },
  { method: "GET", route: "/api/v1/notices", expect: anyTenantUser() },
  { method: "PATCH", route: "/api/v1/me", expect: anyTenantUser(), prepare: async () => ({ json: { locale: "en" } }) },
  { method: "POST", route: "/api/v1/auth/logout", expect: anyTenantUser(), prepare: async (w, who) => ({ token: await ownFreshToken(w, who) }) },
  {
    method: "POST",
    route: "/api/v1/auth/password",
    expect: anyTenantUser(),
    prepare: async (w, who) => {
      const token = await ownFreshToken(w, who);
      const other = "matrix-temporary-password-9";
      return {
        token,
        json: { currentPassword: PASSWORD, newPassword: other },
        // Put the password back, so later cases can still sign in, and
        // replace the fixture's token, which the change revoked.
        after: async () => {
          const a = account(w, who);
          if (!token || !a) return;
          const res = await call("/api/v1/auth/password", { method: "POST", token, json: { currentPassword: other, newPassword: PASSWORD } });
          if (res.status !== 204) throw new Error(`restoring the password gave ${res.status}`);
          a.token = await freshToken(a);
        },
      };
    },
  },
  { method: "POST", route: "/api/v1/auth/totp/enroll", expect: anyTenantUser() },
  {
    method: "POST",
    route: "/api/v1/auth/totp/confirm",
    expect: anyTenantUser(),
    prepare: async (w, who) => {
      const token = await ownFreshToken(w, who);
      if (!token) return { json: { otp: "123456" } };
      const secret = await enrolTotp(token);
      return {
        token,
        json: { otp: totpNow(secret) },
        after: async () => {
          await call("/api/v1/auth/totp", { method: "DELETE", token, json: { password: PASSWORD } });
        },
      };
    },
  },
  {
    method: "DELETE",
    route: "/api/v1/auth/totp",
    expect: anyTenantUser(),
    prepare: async (w, who) => {
      const token = await ownFreshToken(w, who);
      if (!token) return { json: { password: PASSWORD } };
      const secret = await enrolTotp(token);
      await expectJson(call("/api/v1/auth/totp/confirm", { method: "POST", token, json: { otp: totpNow(secret) } }), 200);
      return { token, json: { password: PASSWORD } };
    },
  },
  { method: "GET", route: "/api/v1/auth/tokens", expect: anyTenantUser() },
  { method: "POST", route: "/api/v1/auth/tokens", expect: anyTenantUser(), prepare: async () => ({ json: { name: "matrix" } }) },
  {
    method: "DELETE",
    route: "/api/v1/auth/tokens/:tokenId",
    variant: "own token",
    expect: anyTenantUser(),
    prepare: async (w, who) => {
      const a = account(w, who);
      if (!a) return { params: { tokenId: "tok_aaaaaaaaaaaaaaaaaaaaaaaaaa" } };
      const t = await expectJson<{ id: string }>(call("/api/v1/auth/tokens", { method: "POST", token: a.token, json: { name: "x" } }), 201);
      return { params: { tokenId: t.id } };
    },
  },
  {
    method: "DELETE",
    route: "/api/v1/auth/tokens/:tokenId",
    variant: "the tenant admin's token",
    expect: { ...everyone(404), anonymous: 401, operator: 401, tenantAdmin: "ok" },
    prepare: async (w) => {
      const t = await expectJson<{ id: string }>(w.asAdmin("/api/v1/auth/tokens", { method: "POST", json: { name: "admin's" } }), 201);
      return { params: { tokenId: t.id } };
    },
  },

  // Tenant administration
  { method: "GET", route: "/api/v1/users", expect: adminOnly(false) },
  {
    method: "POST",
    route: "/api/v1/users",
    expect: adminOnly(false),
    prepare: async () => ({ json: { email: `${unique("inv")}@x.example`, tenantRole: "user" } }),
  },
  { method: "GET", route: "/api/v1/users/:userId", expect: adminOnly(true), prepare: async (w) => ({ params: { userId: w.users.member.id } }) },
  {
    method: "PATCH",
    route: "/api/v1/users/:userId",
    expect: adminOnly(true),
    prepare: async (w) => ({ params: { userId: await freshUser(w) }, json: { name: "Renamed" } }),
  },
  { method: "DELETE", route: "/api/v1/users/:userId", expect: adminOnly(true), prepare: async (w) => ({ params: { userId: await freshUser(w) } }) },
  { method: "GET", route: "/api/v1/tenant/settings", expect: adminOnly(false) },
  { method: "PATCH", route: "/api/v1/tenant/settings", expect: adminOnly(false), prepare: async () => ({ json: { defaultLocale: "en" } }) },
  { method: "GET", route: "/api/v1/permissions", expect: adminOnly(false) },
  { method: "GET", route: "/api/v1/roles", expect: adminOnly(false) },
  {
    method: "POST",
    route: "/api/v1/roles",
    expect: adminOnly(false),
    prepare: async () => ({ json: { name: unique("r"), permissions: ["asset.view"] } }),
  },
  { method: "GET", route: "/api/v1/roles/:roleId", expect: adminOnly(true), prepare: async (w) => ({ params: { roleId: w.customRoleId } }) },
  {
    method: "PATCH",
    route: "/api/v1/roles/:roleId",
    expect: adminOnly(true),
    prepare: async (w) => ({ params: { roleId: await freshRole(w) }, json: { permissions: ["asset.view", "search.use"] } }),
  },
  { method: "DELETE", route: "/api/v1/roles/:roleId", expect: adminOnly(true), prepare: async (w) => ({ params: { roleId: await freshRole(w) } }) },
  { method: "GET", route: "/api/v1/groups", expect: adminOnly(false) },
  { method: "POST", route: "/api/v1/groups", expect: adminOnly(false), prepare: async () => ({ json: { name: unique("g") } }) },
  { method: "GET", route: "/api/v1/groups/:groupId", expect: adminOnly(true), prepare: async (w) => ({ params: { groupId: await freshGroup(w) } }) },
  {
    method: "PATCH",
    route: "/api/v1/groups/:groupId",
    expect: adminOnly(true),
    prepare: async (w) => ({ params: { groupId: await freshGroup(w) }, json: { name: unique("renamed") } }),
  },
  { method: "DELETE", route: "/api/v1/groups/:groupId", expect: adminOnly(true), prepare: async (w) => ({ params: { groupId: await freshGroup(w) } }) },
  {
    method: "PUT",
    route: "/api/v1/groups/:groupId/members/:userId",
    expect: adminOnly(true),
    prepare: async (w) => ({ params: { groupId: await freshGroup(w), userId: w.users.viewer.id } }),
  },
  {
    method: "DELETE",
    route: "/api/v1/groups/:groupId/members/:userId",
    expect: adminOnly(true),
    prepare: async (w) => {
      const groupId = await freshGroup(w);
      await expectJson(w.asAdmin(`/api/v1/groups/${groupId}/members/${w.users.viewer.id}`, { method: "PUT" }), 200);
      return { params: { groupId, userId: w.users.viewer.id } };
    },
  },
  { method: "GET", route: "/api/v1/metadata-fields", expect: anyTenantUser() },
  {
    method: "POST",
    route: "/api/v1/metadata-fields",
    expect: adminOnly(false),
    prepare: async () => ({ json: { key: unique("k").replace("-", "_"), label: "Scene", type: "text" } }),
  },
  {
    method: "PATCH",
    route: "/api/v1/metadata-fields/:fieldId",
    expect: adminOnly(true),
    prepare: async (w) => ({ params: { fieldId: await freshField(w) }, json: { label: "New label" } }),
  },
  {
    method: "DELETE",
    route: "/api/v1/metadata-fields/:fieldId",
    expect: adminOnly(true),
    prepare: async (w) => ({ params: { fieldId: await freshField(w) } }),
  },

  // Projects
  { method: "GET", route: "/api/v1/projects", expect: anyTenantUser() },
  { method: "POST", route: "/api/v1/projects", expect: adminOnly(false), prepare: async () => ({ json: { name: unique("project") } }) },
  { method: "GET", route: "/api/v1/projects/:projectId", expect: projectCap(null), prepare: async (w) => ({ params: { projectId: w.p1 } }) },
  {
    method: "PATCH",
    route: "/api/v1/projects/:projectId",
    expect: projectCap("project.manage_members"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, json: { name: unique("P1 renamed") } }),
  },
  {
    method: "GET",
    route: "/api/v1/projects/:projectId/members",
    expect: projectCap("project.manage_members"),
    prepare: async (w) => ({ params: { projectId: w.p1 } }),
  },
  {
    method: "PUT",
    route: "/api/v1/projects/:projectId/members/:userId",
    expect: projectCap("project.manage_members"),
    prepare: async (w) => ({ params: { projectId: w.p1, userId: await freshUser(w) }, json: { role: "viewer" } }),
  },
  {
    method: "DELETE",
    route: "/api/v1/projects/:projectId/members/:userId",
    expect: projectCap("project.manage_members"),
    prepare: async (w) => {
      const userId = await freshUser(w);
      await grant(w.users.tenantAdmin.token, w.p1, userId, "viewer");
      return { params: { projectId: w.p1, userId } };
    },
  },
  {
    method: "PUT",
    route: "/api/v1/projects/:projectId/groups/:groupId",
    expect: projectCap("project.manage_members"),
    prepare: async (w) => ({ params: { projectId: w.p1, groupId: await freshGroup(w) }, json: { role: "member" } }),
  },
  {
    method: "DELETE",
    route: "/api/v1/projects/:projectId/groups/:groupId",
    expect: projectCap("project.manage_members"),
    prepare: async (w) => {
      const groupId = await freshGroup(w);
      await expectJson(w.asAdmin(`/api/v1/projects/${w.p1}/groups/${groupId}`, { method: "PUT", json: { role: "viewer" } }), 200);
      return { params: { projectId: w.p1, groupId } };
    },
  },

  // Assets
  { method: "GET", route: "/api/v1/projects/:projectId/folders", expect: projectCap("asset.view"), prepare: async (w) => ({ params: { projectId: w.p1 } }) },
  {
    method: "POST",
    route: "/api/v1/projects/:projectId/folders",
    expect: projectCap("asset.upload"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, json: { name: unique("folder") } }),
  },
  {
    method: "GET",
    route: "/api/v1/folders/:folderId",
    expect: projectCap("asset.view"),
    prepare: async (w) => ({ params: { folderId: await freshFolder(w) } }),
  },
  {
    method: "PATCH",
    route: "/api/v1/folders/:folderId",
    expect: projectCap("asset.edit_metadata"),
    prepare: async (w) => ({ params: { folderId: await freshFolder(w) }, json: { name: unique("renamed") } }),
  },
  {
    method: "DELETE",
    route: "/api/v1/folders/:folderId",
    expect: projectCap("asset.delete"),
    prepare: async (w) => ({ params: { folderId: await freshFolder(w) } }),
  },
  { method: "GET", route: "/api/v1/projects/:projectId/assets", expect: projectCap("asset.view"), prepare: async (w) => ({ params: { projectId: w.p1 } }) },
  {
    method: "GET",
    route: "/api/v1/projects/:projectId/assets",
    variant: "search",
    expect: projectCap("search.use"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, query: `?q=${encodeURIComponent("渋谷")}` }),
  },
  {
    method: "POST",
    route: "/api/v1/projects/:projectId/assets",
    expect: projectCap("asset.upload"),
    prepare: async (w) => ({
      params: { projectId: w.p1 },
      body: () => {
        const form = new FormData();
        form.set("file", new File(["matrix upload"], `${unique("small")}.txt`));
        return form;
      },
    }),
  },
  {
    method: "POST",
    route: "/api/v1/projects/:projectId/uploads",
    expect: projectCap("asset.upload"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, json: { filename: `${unique("mp")}.bin`, size: 10 } }),
  },
  {
    method: "GET",
    route: "/api/v1/projects/:projectId/uploads",
    expect: projectCap("asset.upload"),
    prepare: async (w) => ({ params: { projectId: w.p1 } }),
  },
  {
    method: "DELETE",
    route: "/api/v1/uploads/:uploadId",
    variant: "someone else's upload",
    // Tenant and project admins cancel anyone's upload (ADR 0019); to an uploader it stays invisible.
    expect: { ...projectCap("asset.delete"), member: 404 },
    prepare: async (w, who) => ({ params: { uploadId: await othersUpload(w, who) } }),
  },
  {
    method: "GET",
    route: "/api/v1/uploads/:uploadId",
    expect: projectCap("asset.upload"),
    prepare: async (w, who) => ({ params: { uploadId: await freshUpload(w, who) } }),
  },
  {
    method: "DELETE",
    route: "/api/v1/uploads/:uploadId",
    expect: projectCap("asset.upload"),
    prepare: async (w, who) => ({ params: { uploadId: await freshUpload(w, who) } }),
  },
  {
    method: "PUT",
    route: "/api/v1/uploads/:uploadId/parts/:partNumber",
    expect: projectCap("asset.upload"),
    noAuditEvent: "a part is transport; the upload is recorded when started (asset.upload_started) and completed (asset.uploaded)",
    prepare: async (w, who) => ({ params: { uploadId: await freshUpload(w, who), partNumber: "1" }, body: () => "0123456789" }),
  },
  {
    method: "POST",
    route: "/api/v1/uploads/:uploadId/complete",
    expect: projectCap("asset.upload"),
    prepare: async (w, who) => {
      const uploadId = await freshUpload(w, who);
      await expectJson(call(`/api/v1/uploads/${uploadId}/parts/1`, { method: "PUT", token: uploaderToken(w, who), body: "0123456789" }), 200);
      return { params: { uploadId } };
    },
  },
  { method: "GET", route: "/api/v1/assets/:assetId", expect: projectCap("asset.view"), prepare: async (w) => ({ params: { assetId: await freshAsset(w) } }) },
  {
    method: "PATCH",
    route: "/api/v1/assets/:assetId",
    expect: projectCap("asset.edit_metadata"),
    prepare: async (w) => ({ params: { assetId: await freshAsset(w) }, json: { tags: ["matrix"], colorLabel: "blue" } }),
  },
  {
    method: "DELETE",
    route: "/api/v1/assets/:assetId",
    expect: projectCap("asset.delete"),
    prepare: async (w) => ({ params: { assetId: await freshAsset(w) } }),
  },
  {
    method: "GET",
    route: "/api/v1/assets/:assetId/original",
    expect: projectCap("asset.download_original"),
    prepare: async (w) => ({ params: { assetId: await freshAsset(w) } }),
  },
  {
    method: "GET",
    route: "/api/v1/assets/:assetId/thumbnail",
    expect: projectCap("asset.view"),
    prepare: async (w) => {
      const assetId = await freshAsset(w);
      await expectJson(
        call(`/api/v1/assets/${assetId}/thumbnail`, { method: "PUT", token: w.users.tenantAdmin.token, body: TINY_JPEG, headers: JPEG_HEADERS }),
        204,
      );
      return { params: { assetId } };
    },
  },
  {
    method: "GET",
    route: "/api/v1/assets/:assetId/proxy",
    expect: projectCap("asset.download_proxy"),
    prepare: async (w) => {
      const assetId = await freshAsset(w);
      await storeProxy(w, assetId);
      return { params: { assetId } };
    },
  },
  {
    method: "GET",
    route: "/api/v1/assets/:assetId/media",
    expect: projectCap("asset.view"),
    prepare: async (w) => ({ params: { assetId: await freshAsset(w) } }),
  },
  {
    method: "POST",
    route: "/api/v1/assets/:assetId/media/retry",
    expect: projectCap("project.manage_members"),
    prepare: async (w) => ({ params: { assetId: await failedMediaAsset(w) } }),
  },
  {
    method: "GET",
    route: "/api/v1/assets/:assetId/stream",
    expect: projectCap("asset.view"),
    prepare: async (w) => {
      const assetId = await freshAsset(w);
      await storeProxy(w, assetId);
      return { params: { assetId } };
    },
  },
  {
    method: "GET",
    route: "/api/v1/assets/:assetId/derived/:name",
    expect: projectCap("asset.view"),
    prepare: async (w) => {
      const assetId = await freshAsset(w);
      await storeDerived(w, assetId, "poster");
      return { params: { assetId, name: "poster" } };
    },
  },
  // Share guests' verdicts, for the team (issue #14).
  {
    method: "GET",
    route: "/api/v1/assets/:assetId/approvals",
    expect: projectCap("asset.view"),
    prepare: async (w) => ({ params: { assetId: await freshAsset(w) } }),
  },
  // Markers (issue #14): reading is asset.view, writing marker.edit; someone else's marker is its
  // author's or an admin's to change or delete (project.manage_members).
  {
    method: "GET",
    route: "/api/v1/assets/:assetId/markers",
    expect: projectCap("asset.view"),
    prepare: async (w) => ({ params: { assetId: await markableAsset(w) } }),
  },
  {
    method: "POST",
    route: "/api/v1/assets/:assetId/markers",
    expect: projectCap("marker.edit"),
    prepare: async (w) => ({ params: { assetId: await markableAsset(w) }, json: { startFrame: 2, endFrame: 4, text: unique("note") } }),
  },
  {
    method: "GET",
    route: "/api/v1/assets/:assetId/markers/export",
    expect: projectCap("asset.view"),
    prepare: async (w) => ({ params: { assetId: await markableAsset(w) }, query: "?format=edl" }),
  },
  {
    method: "PATCH",
    route: "/api/v1/markers/:markerId",
    expect: projectCap("marker.edit"),
    prepare: async (w) => ({ params: { markerId: await adminsMarker(w) }, json: { resolved: true } }),
  },
  {
    method: "PATCH",
    route: "/api/v1/markers/:markerId",
    variant: "someone else's text",
    expect: projectCap("project.manage_members"),
    prepare: async (w) => ({ params: { markerId: await adminsMarker(w) }, json: { text: unique("rewritten") } }),
  },
  {
    method: "DELETE",
    route: "/api/v1/markers/:markerId",
    expect: projectCap("project.manage_members"),
    prepare: async (w) => ({ params: { markerId: await adminsMarker(w) } }),
  },
  {
    method: "POST",
    route: "/api/v1/markers/:markerId/replies",
    expect: projectCap("marker.edit"),
    prepare: async (w) => ({ params: { markerId: await adminsMarker(w) }, json: { text: unique("reply") } }),
  },
  // Collections (issue #14): reading is asset.view on the project, changing collection.manage.
  {
    method: "POST",
    route: "/api/v1/collections",
    expect: projectCap("collection.manage"),
    prepare: async (w) => ({ json: { projectId: w.p1, name: unique("collection") } }),
  },
  {
    method: "GET",
    route: "/api/v1/projects/:projectId/collections",
    expect: projectCap("asset.view"),
    prepare: async (w) => ({ params: { projectId: w.p1 } }),
  },
  {
    method: "GET",
    route: "/api/v1/collections/:collectionId",
    expect: projectCap("asset.view"),
    prepare: async (w) => ({ params: { collectionId: await freshCollection(w) } }),
  },
  {
    method: "PATCH",
    route: "/api/v1/collections/:collectionId",
    expect: projectCap("collection.manage"),
    prepare: async (w) => ({ params: { collectionId: await freshCollection(w) }, json: { name: unique("renamed") } }),
  },
  {
    method: "DELETE",
    route: "/api/v1/collections/:collectionId",
    expect: projectCap("collection.manage"),
    prepare: async (w) => ({ params: { collectionId: await freshCollection(w) } }),
  },
  {
    method: "GET",
    route: "/api/v1/collections/:collectionId/assets",
    expect: projectCap("asset.view"),
    prepare: async (w) => ({ params: { collectionId: await freshCollection(w, await freshAsset(w)) } }),
  },
  {
    method: "POST",
    route: "/api/v1/collections/:collectionId/assets",
    expect: projectCap("collection.manage"),
    prepare: async (w) => ({ params: { collectionId: await freshCollection(w) }, json: { assetIds: [await freshAsset(w)] } }),
  },
  {
    method: "PUT",
    route: "/api/v1/collections/:collectionId/assets/:assetId",
    expect: projectCap("collection.manage"),
    prepare: async (w) => ({ params: { collectionId: await freshCollection(w), assetId: await freshAsset(w) } }),
  },
  {
    method: "DELETE",
    route: "/api/v1/collections/:collectionId/assets/:assetId",
    expect: projectCap("collection.manage"),
    prepare: async (w) => {
      const assetId = await freshAsset(w);
      return { params: { collectionId: await freshCollection(w, assetId), assetId } };
    },
  },
  // Shares (issue #14): the team's side needs share.create on the share's project.
  {
    method: "POST",
    route: "/api/v1/shares",
    expect: projectCap("share.create"),
    prepare: async (w) => ({
      json: { projectId: w.p1, assetIds: [await freshAsset(w)], scope: "preview", expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
    }),
  },
  { method: "GET", route: "/api/v1/projects/:projectId/shares", expect: projectCap("share.create"), prepare: async (w) => ({ params: { projectId: w.p1 } }) },
  {
    method: "GET",
    route: "/api/v1/shares/:shareId",
    expect: projectCap("share.create"),
    prepare: async (w) => ({ params: { shareId: (await freshShare(w)).id } }),
  },
  {
    method: "PATCH",
    route: "/api/v1/shares/:shareId",
    expect: projectCap("share.create"),
    prepare: async (w) => ({ params: { shareId: (await freshShare(w)).id }, json: { paused: true } }),
  },
  {
    method: "DELETE",
    route: "/api/v1/shares/:shareId",
    expect: projectCap("share.create"),
    prepare: async (w) => ({ params: { shareId: (await freshShare(w)).id } }),
  },
  {
    method: "DELETE",
    route: "/api/v1/shares/:shareId/links/:linkId",
    expect: projectCap("share.create"),
    prepare: async (w) => {
      const { id } = await freshShare(w);
      const view = await expectJson<{ links: { id: string }[] }>(call(`/api/v1/shares/${id}`, { token: w.users.tenantAdmin.token }), 200);
      return { params: { shareId: id, linkId: view.links[0]!.id } };
    },
  },
  // The tenant-wide list: tenant admins, each of their own tenant's shares.
  { method: "GET", route: "/api/v1/shares", expect: adminOnly(false), prepare: async () => ({ query: "?limit=5" }) },
  // Guests: the link's token in the path (and the guest token) is the credential; whoever calls
  // with them gets the same answer, whatever their own credentials.
  {
    method: "POST",
    route: "/api/v1/public/shares/:shareToken/session",
    expect: everyone("ok"),
    noAuditEvent: "a guest's share.accessed goes to the share's tenant (A) as the guest, whoever calls; shares.test.ts reads it there",
    prepare: async (w) => ({ params: { shareToken: (await freshShare(w)).token }, json: {} }),
  },
  {
    method: "GET",
    route: "/api/v1/public/shares/:shareToken/assets",
    expect: everyone("ok"),
    prepare: async (w) => {
      const s = await freshShare(w);
      return { params: { shareToken: s.token }, token: s.guestToken };
    },
  },
  {
    method: "GET",
    route: "/api/v1/public/shares/:shareToken/assets/:assetId/original",
    expect: everyone("ok"),
    prepare: async (w) => {
      const s = await freshShare(w);
      return { params: { shareToken: s.token, assetId: s.assetId }, token: s.guestToken };
    },
  },
  {
    method: "GET",
    route: "/api/v1/public/shares/:shareToken",
    expect: everyone("ok"),
    prepare: async (w) => {
      const s = await freshShare(w);
      return { params: { shareToken: s.token }, token: s.guestToken };
    },
  },
  {
    method: "POST",
    route: "/api/v1/public/shares/:shareToken/session/verify",
    expect: everyone("ok"),
    noAuditEvent: "the guest's share.accessed goes to the share's tenant (A) as the guest, whoever calls; share-guests.test.ts reads it there",
    prepare: async (w) => {
      const s = await freshShare(w, { verifyEmail: true });
      const sessionHash = await sha256Hex(s.guestToken);
      // The code is only e-mailed: the row gets one whose hash the test knows.
      await env.TENANT_DB_S0.prepare("UPDATE share_guest_sessions SET code_hash = ? WHERE token_hash = ?")
        .bind(await sha256Hex(`${sessionHash}:123456`), sessionHash)
        .run();
      return { params: { shareToken: s.token }, token: s.guestToken, json: { code: "123456" } };
    },
  },
  {
    method: "GET",
    route: "/api/v1/public/shares/:shareToken/assets/:assetId",
    expect: everyone("ok"),
    noAuditEvent: "the guest's share.viewed goes to the share's tenant (A) as the guest, whoever calls; share-guests.test.ts reads it there",
    prepare: async (w) => asGuest(await freshShare(w)),
  },
  {
    method: "GET",
    route: "/api/v1/public/shares/:shareToken/assets/:assetId/thumbnail",
    expect: everyone("ok"),
    prepare: async (w) => asGuest(await freshShare(w)),
  },
  {
    method: "GET",
    route: "/api/v1/public/shares/:shareToken/assets/:assetId/stream",
    expect: everyone("ok"),
    prepare: async (w) => {
      const s = await freshShare(w, { scope: "preview" });
      await storeProxy(w, s.assetId);
      return asGuest(s);
    },
  },
  {
    method: "GET",
    route: "/api/v1/public/shares/:shareToken/assets/:assetId/derived/:name",
    expect: everyone("ok"),
    prepare: async (w) => {
      const s = await freshShare(w, { scope: "preview" });
      await storeDerived(w, s.assetId, "poster");
      return asGuest(s, { name: "poster" });
    },
  },
  {
    method: "GET",
    route: "/api/v1/public/shares/:shareToken/assets/:assetId/proxy",
    expect: everyone("ok"),
    prepare: async (w) => {
      const s = await freshShare(w);
      await storeProxy(w, s.assetId);
      return asGuest(s);
    },
  },
  {
    method: "GET",
    route: "/api/v1/public/shares/:shareToken/assets/:assetId/markers",
    expect: everyone("ok"),
    prepare: async (w) => asGuest(await freshShare(w, { assetId: await markableAsset(w) })),
  },
  {
    method: "POST",
    route: "/api/v1/public/shares/:shareToken/assets/:assetId/markers",
    expect: everyone("ok"),
    noAuditEvent: "the guest's marker.created goes to the share's tenant (A) as the guest, whoever calls; share-guests.test.ts reads it there",
    prepare: async (w) => ({
      ...asGuest(await freshShare(w, { assetId: await markableAsset(w), comments: true })),
      json: { startFrame: 1, text: unique("guest") },
    }),
  },
  {
    method: "POST",
    route: "/api/v1/public/shares/:shareToken/assets/:assetId/markers/:markerId/replies",
    expect: everyone("ok"),
    noAuditEvent: "the guest's marker.replied goes to the share's tenant (A) as the guest, whoever calls; share-guests.test.ts reads it there",
    prepare: async (w) => ({
      ...asGuest(await freshShare(w, { assetId: await markableAsset(w), comments: true }), { markerId: await adminsMarker(w) }),
      json: { text: unique("reply") },
    }),
  },
  {
    method: "PUT",
    route: "/api/v1/public/shares/:shareToken/assets/:assetId/approval",
    expect: everyone("ok"),
    noAuditEvent: "the guest's share.approval_set goes to the share's tenant (A) as the guest, whoever calls; share-guests.test.ts reads it there",
    prepare: async (w) => ({ ...asGuest(await freshShare(w, { approval: true })), json: { status: "approved" } }),
  },
  {
    method: "POST",
    route: "/api/v1/public/shares/:shareToken/uploads",
    expect: everyone("ok"),
    noAuditEvent: "the guest's asset.uploaded goes to the share's tenant (A) as the guest, whoever calls; share-guests.test.ts reads it there",
    prepare: async (w) => {
      const s = await freshShare(w, { scope: "preview_upload" });
      return {
        params: { shareToken: s.token },
        token: s.guestToken,
        body: () => {
          const form = new FormData();
          form.set("file", new File([pseudoRandomBytes(64, 7)], `${unique("guest-up")}.bin`));
          return form;
        },
      };
    },
  },
  // The transcoder's routes: the signed grant in the URL is the only credential; whoever else calls
  // with it (or with their own credentials) gets the same answer (ADR 0030).
  {
    method: "GET",
    route: "/api/v1/transcoder/source",
    expect: everyone("ok"),
    prepare: async (w) => ({ query: `?token=${(await jobGrant(w, "source")).token}` }),
  },
  {
    method: "POST",
    route: "/api/v1/transcoder/outputs/:name",
    noAuditEvent: "the transcoder storing a derived object: the service's own work, not a user's activity",
    expect: everyone("ok"),
    prepare: async (w) => ({
      params: { name: "poster" },
      query: `?token=${(await jobGrant(w, "output", "poster")).token}`,
      json: { contentType: "image/jpeg" },
    }),
  },
  {
    method: "PUT",
    route: "/api/v1/transcoder/outputs/:name",
    noAuditEvent: "the transcoder storing a derived object: the service's own work, not a user's activity",
    expect: everyone("ok"),
    prepare: async (w) => {
      const { token } = await jobGrant(w, "output", "poster");
      const started = await expectJson<{ uploadId: string }>(
        call(`/api/v1/transcoder/outputs/poster?token=${token}`, { method: "POST", json: { contentType: "image/jpeg" } }),
        201,
      );
      return { params: { name: "poster" }, query: `?token=${token}&uploadId=${encodeURIComponent(started.uploadId)}&part=1`, body: () => "poster bytes" };
    },
  },
  {
    method: "POST",
    route: "/api/v1/transcoder/callback",
    noAuditEvent: "the transcoder reporting progress: the service's own work, not a user's activity",
    expect: everyone("ok"),
    prepare: async (w) => ({ query: `?token=${(await jobGrant(w, "callback")).token}`, json: { event: "working", stage: "reading" } }),
  },
  {
    method: "PUT",
    route: "/api/v1/assets/:assetId/thumbnail",
    expect: projectCap("asset.upload"),
    prepare: async (w) => ({ params: { assetId: await freshAsset(w) }, body: () => TINY_JPEG, headers: { "Content-Type": "image/jpeg" } }),
  },
  {
    method: "POST",
    route: "/api/v1/projects/:projectId/assets/bulk-update",
    expect: projectCap("asset.edit_metadata"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, json: { assetIds: [await freshAsset(w), await freshAsset(w)], addTags: ["bulk"] } }),
  },
  {
    method: "POST",
    route: "/api/v1/projects/:projectId/assets/bulk-delete",
    expect: projectCap("asset.delete"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, json: { assetIds: [await freshAsset(w)] } }),
  },
  {
    method: "POST",
    route: "/api/v1/projects/:projectId/assets/zip",
    expect: projectCap("asset.download_original"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, json: { assetIds: [await freshAsset(w)] } }),
  },
  // Metadata CSV (issue #14, ADR 0033): exporting is reading (asset.view, recorded as metadata.exported);
  // importing changes tags and metadata (asset.edit_metadata).
  {
    method: "POST",
    route: "/api/v1/projects/:projectId/assets/metadata-export",
    expect: projectCap("asset.view"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, json: { assetIds: [await sharedAsset(w)] } }),
  },
  {
    method: "POST",
    route: "/api/v1/projects/:projectId/assets/metadata-import",
    expect: projectCap("asset.edit_metadata"),
    prepare: async (w) => {
      const csv = metadataCsv(await sharedAsset(w), await mxNoteField(w));
      return { params: { projectId: w.p1 }, body: () => csv, headers: { "Content-Type": "text/csv" } };
    },
  },
  { method: "GET", route: "/api/v1/projects/:projectId/tags", expect: projectCap("asset.view"), prepare: async (w) => ({ params: { projectId: w.p1 } }) },
  {
    method: "GET",
    route: "/api/v1/projects/:projectId/saved-searches",
    expect: projectCap("asset.view"),
    prepare: async (w) => ({ params: { projectId: w.p1 } }),
  },
  {
    method: "POST",
    route: "/api/v1/projects/:projectId/saved-searches",
    expect: projectCap("asset.view"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, json: { name: unique("search"), query: { q: "渋谷", kind: "video" } } }),
  },
  {
    method: "DELETE",
    route: "/api/v1/saved-searches/:savedSearchId",
    // Only the owner: callers who can see P1 delete their own; the rest face the admin's.
    expect: projectCap(null),
    prepare: async (w, who) => {
      const owner = who === "anonymous" || who === "operator" || who === "otherProject" || who === "otherTenantAdmin" ? w.users.tenantAdmin : w.users[who];
      const created = await expectJson<{ id: string }>(
        call(`/api/v1/projects/${w.p1}/saved-searches`, { method: "POST", token: owner.token, json: { name: unique("s"), query: {} } }),
        201,
      );
      return { params: { savedSearchId: created.id } };
    },
  },
  { method: "GET", route: "/api/v1/usage", expect: adminOnly(false) },

  // Audit (tenant admins read their own tenant's log)
  { method: "GET", route: "/api/v1/audit", expect: adminOnly(false) },
  { method: "GET", route: "/api/v1/audit/export", expect: adminOnly(false) },
  { method: "GET", route: "/api/v1/audit/verify", expect: adminOnly(false) },

  // UI actions (mutating forms), sent with the browser's session cookie
  {
    method: "POST",
    route: "/locale",
    noAuditEvent: "a display preference kept in a cookie, no tenant data",
    expect: everyone("ok"),
    prepare: async () => ({ json: undefined }),
  },
  {
    method: "POST",
    route: "/login",
    form: { intent: "password" },
    noAuditEvent: "a refused sign-in; it is recorded as auth.login_failed (outcome failure)",
    expect: everyone("ok"),
    prepare: async (w) => ({ form: { intent: "password", tenant: w.tenantA.slug, email: "nobody@x.example", password: "not-the-password-1" } }),
  },
  { method: "POST", route: "/logout", expect: everyone("ok"), prepare: async () => ({ form: {} }) },
  {
    method: "POST",
    route: "/setup",
    noAuditEvent: "an invalid link changes nothing",
    expect: everyone("ok"),
    prepare: async () => ({ form: { token: "kura_bogus", password: "matrix-ui-password-1", confirmPassword: "matrix-ui-password-1" } }),
  },
  {
    method: "POST",
    route: "/reset-password",
    noAuditEvent: "an invalid link changes nothing",
    expect: everyone("ok"),
    prepare: async () => ({ form: { token: "kura_bogus", password: "matrix-ui-password-1", confirmPassword: "matrix-ui-password-1" } }),
  },
  {
    method: "POST",
    route: "/forgot-password",
    noAuditEvent: "asks for an unknown e-mail: nothing happens, and nothing may tell the caller so",
    expect: everyone("ok"),
    prepare: async (w) => ({ form: { tenant: w.tenantA.slug, email: "nobody@x.example" } }),
  },
  {
    method: "POST",
    route: "/account",
    form: { intent: "profile" },
    expect: uiTenantUser(),
    prepare: async () => ({ form: { intent: "profile", name: "", locale: "ja" } }),
  },
  {
    method: "POST",
    route: "/notices",
    noAuditEvent: "hides an announcement's banner in this browser's own cookie; no tenant data changes",
    expect: uiTenantUser(),
    prepare: async () => {
      const res = await call("/api/v1/operator/announcements", {
        token: OPERATOR_TOKEN,
        json: { severity: "info", title: "Matrix notice", body: "Nothing happens." },
      });
      expect(res.status).toBe(201);
      return { form: { id: (await res.json<{ id: string }>()).id, redirectTo: "/notices" } };
    },
  },
  { method: "POST", route: "/account/two-factor", form: { intent: "enroll" }, expect: uiTenantUser(), prepare: async () => ({ form: { intent: "enroll" } }) },
  {
    method: "POST",
    route: "/account/tokens",
    form: { intent: "create" },
    expect: uiTenantUser(),
    prepare: async () => ({ form: { intent: "create", name: unique("ui-token"), expiresInDays: "7" } }),
  },
  {
    method: "POST",
    route: "/admin/users",
    form: { intent: "invite" },
    expect: uiAdminOnly(),
    prepare: async () => ({ form: { intent: "invite", email: `${unique("ui")}@x.example`, tenantRole: "user" } }),
  },
  {
    method: "POST",
    route: "/admin/groups",
    form: { intent: "create" },
    expect: uiAdminOnly(),
    prepare: async () => ({ form: { intent: "create", name: unique("ui-group") } }),
  },
  {
    method: "POST",
    route: "/admin/roles",
    form: { intent: "create" },
    expect: uiAdminOnly(),
    prepare: async () => ({ form: { intent: "create", name: unique("ui-role"), permissions: "asset.view" } }),
  },
  {
    method: "POST",
    route: "/admin/projects",
    form: { intent: "create" },
    expect: uiAdminOnly(),
    prepare: async () => ({ form: { intent: "create", name: unique("ui-project") } }),
  },
  {
    method: "POST",
    route: "/admin/audit",
    noAuditEvent: "verifying the chain reads the log and changes nothing",
    expect: uiAdminOnly(),
    prepare: async () => ({ form: {} }),
  },
  { method: "POST", route: "/admin/security", expect: uiAdminOnly(), prepare: async () => ({ form: { ipAllowlist: "" } }) },
  {
    method: "POST",
    route: "/projects/:projectId/members",
    form: { intent: "grant" },
    expect: uiProjectCap("project.manage_members"),
    prepare: async (w) => ({
      params: { projectId: w.p1 },
      form: { intent: "grant", form: "grant-user", principalType: "user", principalId: await freshUser(w), role: "viewer" },
    }),
  },
  // The operator console (ADR 0027): its own accounts, so no principal of the matrix has a session.
  {
    method: "POST",
    route: "/operator/tenants/:tenantId",
    form: { intent: "terminate" },
    noAuditEvent: "refused before anything runs: no console session (operator-console.test.ts signs in and terminates)",
    expect: everyone("consoleLogin"),
    prepare: async (w) => ({ params: { tenantId: w.tenantA.id }, form: { intent: "terminate", confirmSlug: w.tenantA.slug } }),
  },
  {
    method: "POST",
    route: "/operator/tenants/:tenantId",
    form: { intent: "restore" },
    noAuditEvent: "refused before anything runs: no console session",
    expect: everyone("consoleLogin"),
    prepare: async (w) => ({ params: { tenantId: w.tenantA.id }, form: { intent: "restore", generation: "2026-01-01" } }),
  },
  {
    method: "POST",
    route: "/operator/tenants/:tenantId",
    form: { intent: "contract" },
    noAuditEvent: "refused before anything runs: no console session (operator-console.test.ts edits a contract)",
    expect: everyone("consoleLogin"),
    prepare: async (w) => ({ params: { tenantId: w.tenantA.id }, form: { intent: "contract", quotaGb: "1", adminEmail: "a@matrix.example" } }),
  },
  {
    method: "POST",
    route: "/operator/tenants/:tenantId",
    form: { intent: "move" },
    noAuditEvent: "refused before anything runs: no console session",
    expect: everyone("consoleLogin"),
    prepare: async (w) => ({ params: { tenantId: w.tenantA.id }, form: { intent: "move", shard: "s1" } }),
  },
  {
    method: "POST",
    route: "/operator/login",
    form: { intent: "code" },
    noAuditEvent: "a code without a sign-in in progress sends the caller back to the start; no tenant is touched",
    expect: everyone("consoleLogin"),
    prepare: async () => ({ form: { intent: "code", code: "123456" } }),
  },
  {
    method: "POST",
    route: "/operator/announcements",
    noAuditEvent: "refused before anything runs: no console session",
    expect: everyone("consoleLogin"),
    prepare: async () => ({ form: { severity: "incident", title: "Matrix", body: "Nothing happens." } }),
  },
  {
    method: "POST",
    route: "/operator/operators",
    form: { intent: "add" },
    noAuditEvent: "refused before anything runs: no console session",
    expect: everyone("consoleLogin"),
    prepare: async () => ({ form: { intent: "add", email: "new-op@kura.example", name: "x", password: "matrix-operator-pass-1" } }),
  },
  {
    method: "POST",
    route: "/operator/operators",
    form: { intent: "disable" },
    noAuditEvent: "refused before anything runs: no console session",
    expect: everyone("consoleLogin"),
    prepare: async () => ({ form: { intent: "disable", operatorId: "opr_aaaaaaaaaaaaaaaaaaaaaaaaaa" } }),
  },
  {
    method: "POST",
    route: "/operator/logout",
    noAuditEvent: "ends the console session the cookie holds, and no principal here has one",
    expect: everyone("ok"),
    prepare: async () => ({ form: {} }),
  },
  {
    method: "POST",
    route: "/operator/login",
    form: { intent: "password" },
    noAuditEvent: "a refused operator sign-in touches no tenant",
    expect: everyone(200),
    prepare: async () => ({ form: { intent: "password", email: "nobody@kura.example", password: "not-the-password-1" } }),
  },
  {
    method: "POST",
    route: "/operator/setup",
    noAuditEvent: "a wrong bootstrap token creates nothing",
    expect: everyone(200),
    prepare: async () => ({ form: { bootstrapToken: "not-the-bootstrap-token", email: "ops@kura.example", name: "x", password: "matrix-operator-pass-1" } }),
  },
  // Every other button of the UI forms
  {
    method: "POST",
    route: "/login",
    form: { intent: "code" },
    noAuditEvent: "an unknown sign-in challenge belongs to no tenant; nothing changes",
    expect: everyone("ok"),
    prepare: async () => ({ form: { challenge: "kura_o.bogus", code: "123456" } }),
  },
  {
    method: "POST",
    route: "/account",
    form: { intent: "password" },
    noAuditEvent: "a wrong current password changes nothing (the change itself: the API row and ui-identity tests)",
    expect: uiTenantUser(),
    prepare: async () => ({ form: { currentPassword: "not-the-password-9", newPassword: "matrix-new-password-7", confirmPassword: "matrix-new-password-7" } }),
  },
  {
    method: "POST",
    route: "/account/two-factor",
    form: { intent: "confirm" },
    noAuditEvent: "a code without a started enrolment changes nothing",
    expect: uiTenantUser(),
    prepare: async () => ({ form: { code: "123456", via: "app" } }),
  },
  {
    method: "POST",
    route: "/account/two-factor",
    form: { intent: "disable" },
    noAuditEvent: "a wrong password changes nothing (turning 2FA off: the API row)",
    expect: uiTenantUser(),
    prepare: async () => ({ form: { password: "not-the-password-9" } }),
  },
  {
    method: "POST",
    route: "/account/tokens",
    form: { intent: "delete" },
    expect: uiTenantUser(),
    prepare: async (w, who) => {
      const a = account(w, who);
      if (!a) return { form: { id: "tok_aaaaaaaaaaaaaaaaaaaaaaaaaa" } };
      const t = await expectJson<{ id: string }>(call("/api/v1/auth/tokens", { method: "POST", token: a.token, json: { name: "ui-delete" } }), 201);
      return { form: { id: t.id } };
    },
  },
  {
    method: "POST",
    route: "/admin/users",
    form: { intent: "role" },
    expect: uiAdminOnly(true),
    prepare: async (w) => ({ form: { userId: await freshUser(w), tenantRole: "tenant_admin" } }),
  },
  {
    method: "POST",
    route: "/admin/users",
    form: { intent: "status" },
    expect: uiAdminOnly(true),
    prepare: async (w) => ({ form: { userId: await freshUser(w), disabled: "true" } }),
  },
  {
    method: "POST",
    route: "/admin/users",
    form: { intent: "reset-2fa" },
    expect: uiAdminOnly(true),
    prepare: async (w) => ({ form: { userId: await freshUser(w) } }),
  },
  {
    method: "POST",
    route: "/admin/users",
    form: { intent: "delete" },
    expect: uiAdminOnly(true),
    prepare: async (w) => ({ form: { userId: await freshUser(w) } }),
  },
  {
    method: "POST",
    route: "/admin/groups",
    form: { intent: "rename" },
    expect: uiAdminOnly(true),
    prepare: async (w) => ({ form: { groupId: await freshGroup(w), name: unique("renamed") } }),
  },
  {
    method: "POST",
    route: "/admin/groups",
    form: { intent: "delete" },
    expect: uiAdminOnly(true),
    prepare: async (w) => ({ form: { groupId: await freshGroup(w) } }),
  },
  {
    method: "POST",
    route: "/admin/groups",
    form: { intent: "add-member" },
    expect: uiAdminOnly(true),
    prepare: async (w) => ({ form: { groupId: await freshGroup(w), userId: w.users.viewer.id } }),
  },
  {
    method: "POST",
    route: "/admin/groups",
    form: { intent: "remove-member" },
    expect: uiAdminOnly(true),
    prepare: async (w) => {
      const groupId = await freshGroup(w);
      await expectJson(w.asAdmin(`/api/v1/groups/${groupId}/members/${w.users.viewer.id}`, { method: "PUT" }), 200);
      return { form: { groupId, userId: w.users.viewer.id } };
    },
  },
  {
    method: "POST",
    route: "/admin/roles",
    form: { intent: "update" },
    expect: uiAdminOnly(true),
    prepare: async (w) => ({ form: { roleId: await freshRole(w), name: unique("role-upd"), permissions: "asset.view" } }),
  },
  {
    method: "POST",
    route: "/admin/roles",
    form: { intent: "delete" },
    expect: uiAdminOnly(true),
    prepare: async (w) => ({ form: { roleId: await freshRole(w) } }),
  },
  {
    method: "POST",
    route: "/admin/projects",
    form: { intent: "rename" },
    expect: uiAdminOnly(true),
    prepare: async (w) => ({ form: { projectId: w.p2, name: unique("P2") } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId/members",
    form: { intent: "remove" },
    expect: uiProjectCap("project.manage_members"),
    prepare: async (w) => {
      const userId = await freshUser(w);
      await grant(w.users.tenantAdmin.token, w.p1, userId, "viewer");
      return { params: { projectId: w.p1 }, form: { principalType: "user", principalId: userId } };
    },
  },

  // Asset screens (browse page: /projects/:projectId?index, asset page, zip, metadata fields)
  {
    method: "POST",
    route: "/projects/:projectId",
    form: { intent: "folder-create" },
    expect: uiProjectCap("asset.upload"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, query: "?index", form: { name: unique("ui-folder"), parentId: "" } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId",
    form: { intent: "folder-rename" },
    expect: uiProjectCap("asset.edit_metadata"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, query: "?index", form: { folderId: await freshFolder(w), name: unique("renamed-folder") } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId",
    form: { intent: "folder-move" },
    expect: uiProjectCap("asset.edit_metadata"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, query: "?index", form: { folderId: await freshFolder(w), parentId: await freshFolder(w) } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId",
    form: { intent: "folder-delete" },
    expect: uiProjectCap("asset.delete"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, query: "?index", form: { folderId: await freshFolder(w) } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId",
    form: { intent: "search-save" },
    expect: uiProjectCap("asset.view"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, query: "?index", form: { name: unique("ui-search"), search: "q=mx&kind=video" } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId",
    form: { intent: "search-delete" },
    expect: uiProjectCap("asset.view"),
    prepare: async (w, who) => {
      const a = account(w, who);
      const own = a
        ? await call(`/api/v1/projects/${w.p1}/saved-searches`, { method: "POST", token: a.token, json: { name: unique("mine"), query: { q: "x" } } })
        : null;
      const savedSearchId = own && own.status === 201 ? ((await own.json()) as { id: string }).id : "svs_aaaaaaaaaaaaaaaaaaaaaaaaaa";
      return { params: { projectId: w.p1 }, query: "?index", form: { savedSearchId } };
    },
  },
  {
    method: "POST",
    route: "/projects/:projectId",
    form: { intent: "bulk-tag-add" },
    expect: uiProjectCap("asset.edit_metadata"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, query: "?index", form: { assetIds: await sharedAsset(w), tag: unique("mx-tag") } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId",
    form: { intent: "bulk-tag-remove" },
    expect: uiProjectCap("asset.edit_metadata"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, query: "?index", form: { assetIds: await sharedAsset(w), tag: "mx-none" } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId",
    form: { intent: "bulk-label" },
    expect: uiProjectCap("asset.edit_metadata"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, query: "?index", form: { assetIds: await sharedAsset(w), colorLabel: "blue" } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId",
    form: { intent: "bulk-metadata" },
    expect: uiProjectCap("asset.edit_metadata"),
    prepare: async (w) => ({
      params: { projectId: w.p1 },
      query: "?index",
      form: { assetIds: await sharedAsset(w), field: await mxNoteField(w), value: unique("note") },
    }),
  },
  {
    method: "POST",
    route: "/projects/:projectId",
    form: { intent: "bulk-move" },
    expect: uiProjectCap("asset.edit_metadata"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, query: "?index", form: { assetIds: await sharedAsset(w), folderId: await freshFolder(w) } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId",
    form: { intent: "bulk-delete" },
    expect: uiProjectCap("asset.delete"),
    // Only the principals allowed to delete use up an asset; the others aim at the shared one.
    prepare: async (w, who) => ({ params: { projectId: w.p1 }, query: "?index", form: { assetIds: await deletable(w, who) } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId",
    form: { intent: "collection-create" },
    expect: uiProjectCap("collection.manage"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, query: "?index", form: { name: unique("ui-collection") } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId",
    form: { intent: "collection-add" },
    expect: uiProjectCap("collection.manage"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, query: "?index", form: { collectionId: await freshCollection(w), assetIds: await sharedAsset(w) } }),
  },
  // A collection's page (issue #14).
  // The guest portal's gate (issue #14): the link's token in the path is the credential; whoever
  // posts gets the same answer, whatever their own session.
  {
    method: "POST",
    route: "/s/:shareToken",
    form: { intent: "open" },
    noAuditEvent: "the guest's share.accessed goes to the share's tenant (A) as the guest, whoever posts; share-guests.test.ts reads it there",
    expect: everyone("ok"),
    prepare: async (w) => ({ params: { shareToken: (await freshShare(w)).token } }),
  },
  {
    method: "POST",
    route: "/s/:shareToken",
    form: { intent: "verify" },
    noAuditEvent: "without the portal's guest cookie there is no session to verify; nothing changes",
    expect: everyone(401),
    prepare: async (w) => ({ params: { shareToken: (await freshShare(w, { verifyEmail: true })).token }, form: { code: "123456" } }),
  },
  {
    method: "POST",
    route: "/s/:shareToken",
    form: { intent: "leave" },
    noAuditEvent: "the browser forgets its guest cookie; nothing stored changes",
    expect: everyone("ok"),
    prepare: async (w) => ({ params: { shareToken: (await freshShare(w)).token } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId/collections/:collectionId",
    form: { intent: "rename" },
    expect: uiProjectCap("collection.manage"),
    prepare: async (w) => ({ params: { projectId: w.p1, collectionId: await freshCollection(w) }, form: { name: unique("ui-renamed") } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId/collections/:collectionId",
    form: { intent: "delete" },
    expect: uiProjectCap("collection.manage"),
    prepare: async (w) => ({ params: { projectId: w.p1, collectionId: await freshCollection(w) } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId/collections/:collectionId",
    form: { intent: "remove-asset" },
    expect: uiProjectCap("collection.manage"),
    prepare: async (w) => {
      const assetId = await sharedAsset(w);
      return { params: { projectId: w.p1, collectionId: await freshCollection(w, assetId) }, form: { assetId } };
    },
  },
  // Share screens (issue #14): creating from the selection or a collection, and the buttons of the
  // project's shares screen, need share.create on the project (as the API); the admin's screen is
  // for tenant admins, whose share buttons reach only their own tenant's shares.
  {
    method: "POST",
    route: "/projects/:projectId",
    form: { intent: "share-create" },
    expect: uiProjectCap("share.create"),
    prepare: async (w) => ({
      params: { projectId: w.p1 },
      query: "?index",
      form: { assetIds: await sharedAsset(w), linkKind: "anonymous", scope: "preview", expiresAt: localExpiry() },
    }),
  },
  {
    method: "POST",
    route: "/projects/:projectId/collections/:collectionId",
    form: { intent: "share-create" },
    expect: uiProjectCap("share.create"),
    prepare: async (w) => ({
      params: { projectId: w.p1, collectionId: await freshCollection(w) },
      form: { linkKind: "recipients", recipients: "mx-guest@example.com", scope: "preview", expiresAt: localExpiry() },
    }),
  },
  ...(["pause", "resume", "update", "revoke", "revoke-link"] as const).flatMap((intent): Row[] => [
    {
      method: "POST",
      route: "/projects/:projectId/shares",
      form: { intent },
      expect: uiProjectCap("share.create"),
      prepare: async (w) => ({ params: { projectId: w.p1 }, form: await shareButtonForm(w, intent) }),
    },
    {
      method: "POST",
      route: "/admin/shares",
      form: { intent },
      expect: uiAdminOnly(true),
      prepare: async (w) => ({ form: await shareButtonForm(w, intent) }),
    },
  ]),
  { method: "POST", route: "/admin/shares", form: { intent: "policy" }, expect: uiAdminOnly(), prepare: async () => ({ form: DEFAULT_POLICY_FORM }) },
  {
    method: "POST",
    route: "/projects/:projectId/zip",
    expect: uiProjectCap("asset.download_original"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, form: { assetIds: await sharedAsset(w) } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId/metadata-export",
    expect: uiProjectCap("asset.view"),
    prepare: async (w) => ({ params: { projectId: w.p1 }, form: { assetIds: await sharedAsset(w) } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId",
    form: { intent: "metadata-import" },
    expect: uiProjectCap("asset.edit_metadata"),
    prepare: async (w) => {
      const csv = metadataCsv(await sharedAsset(w), await mxNoteField(w));
      return {
        params: { projectId: w.p1 },
        query: "?index",
        form: { dryRun: "false", encoding: "auto" },
        body: () => {
          const form = new FormData();
          form.set("file", new File([csv], "metadata.csv", { type: "text/csv" }));
          return form;
        },
      };
    },
  },
  {
    method: "POST",
    route: "/projects/:projectId/assets/:assetId",
    form: { intent: "rename" },
    expect: uiProjectCap("asset.edit_metadata"),
    prepare: async (w) => ({ params: { projectId: w.p1, assetId: await sharedAsset(w) }, form: { name: unique("renamed") + ".mov" } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId/assets/:assetId",
    form: { intent: "tag-add" },
    expect: uiProjectCap("asset.edit_metadata"),
    prepare: async (w) => ({ params: { projectId: w.p1, assetId: await sharedAsset(w) }, form: { tag: unique("t") } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId/assets/:assetId",
    form: { intent: "tag-remove" },
    expect: uiProjectCap("asset.edit_metadata"),
    prepare: async (w) => ({ params: { projectId: w.p1, assetId: await sharedAsset(w) }, form: { tag: "mx-none" } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId/assets/:assetId",
    form: { intent: "label" },
    expect: uiProjectCap("asset.edit_metadata"),
    prepare: async (w) => ({ params: { projectId: w.p1, assetId: await sharedAsset(w) }, form: { colorLabel: "red" } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId/assets/:assetId",
    form: { intent: "metadata" },
    expect: uiProjectCap("asset.edit_metadata"),
    prepare: async (w) => ({ params: { projectId: w.p1, assetId: await sharedAsset(w) }, form: { [`metadata.${await mxNoteField(w)}`]: unique("note") } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId/assets/:assetId",
    form: { intent: "delete" },
    expect: uiProjectCap("asset.delete"),
    prepare: async (w, who) => ({ params: { projectId: w.p1, assetId: await deletable(w, who) } }),
  },
  {
    method: "POST",
    route: "/projects/:projectId/assets/:assetId",
    form: { intent: "retry-media" },
    expect: uiProjectCap("project.manage_members"),
    prepare: async (w) => ({ params: { projectId: w.p1, assetId: await failedMediaAsset(w) } }),
  },
  {
    method: "POST",
    route: "/admin/metadata-fields",
    form: { intent: "create" },
    expect: uiAdminOnly(),
    prepare: async () => ({ form: { key: unique("ui_f").replace(/-/g, "_"), label: "UI field", type: "text" } }),
  },
  {
    method: "POST",
    route: "/admin/metadata-fields",
    form: { intent: "update" },
    expect: uiAdminOnly(true),
    prepare: async (w) => ({ form: { fieldId: await freshField(w), label: unique("label"), takesOptions: "no" } }),
  },
  {
    method: "POST",
    route: "/admin/metadata-fields",
    form: { intent: "delete" },
    expect: uiAdminOnly(true),
    prepare: async (w) => ({ form: { fieldId: await freshField(w) } }),
  },

  ...invalidNameRows(),
];

// ---------------------------------------------------------------------------
// Invalid names: the page form and the API, one schema per field
// ---------------------------------------------------------------------------

/**
 * The same principals as `e`, but whoever was allowed now gets the schema's
 * refusal (and nothing changes). The zip form is a resource route: its
 * refusal is the API's 400, not a re-rendered form.
 */
function refusedFor(e: Expectation, refusal: Outcome = "invalid"): Expectation {
  return Object.fromEntries(Object.entries(e).map(([who, o]) => [who, o === "ok" ? refusal : o])) as Expectation;
}

/**
 * The API (and the admin pages) check the body against its schema before the
 * project guard and the object lookups: the answer depends on no stored
 * data, so a tenant user those would deny (403, or 404 for what they may not
 * see) gets the same 400 and learns nothing. Route policies (sign-in, and
 * `routeDenied`: the tenant-admin policy) still answer first.
 */
function bodyFirst(e: Expectation, routeDenied: readonly Who[] = []): Expectation {
  return Object.fromEntries(
    Object.entries(e).map(([who, o]) => [who, o === "ok" || ((o === 403 || o === 404) && !routeDenied.includes(who as Who)) ? "invalid" : o]),
  ) as Expectation;
}

/**
 * For every page-form intent that carries a name, tag or role key, a case
 * posting a value the field's schema refuses, next to the API operation
 * that takes the same field with the same value: allowed principals get the
 * same refusal from both, denied principals are still denied, and nothing
 * changes either way.
 */
function invalidNameRows(): Row[] {
  const variant = "invalid name";
  const p1 = "?index";
  return [
    // Folders
    {
      method: "POST",
      route: "/projects/:projectId",
      variant,
      form: { intent: "folder-create" },
      expect: refusedFor(uiProjectCap("asset.upload")),
      prepare: async (w) => ({ params: { projectId: w.p1 }, query: p1, form: { name: BAD.dots, parentId: "" } }),
    },
    {
      method: "POST",
      route: "/api/v1/projects/:projectId/folders",
      variant,
      expect: bodyFirst(projectCap("asset.upload")),
      prepare: async (w) => ({ params: { projectId: w.p1 }, json: { name: BAD.dots } }),
    },
    {
      method: "POST",
      route: "/projects/:projectId",
      variant,
      form: { intent: "folder-rename" },
      expect: refusedFor(uiProjectCap("asset.edit_metadata")),
      prepare: async (w) => ({ params: { projectId: w.p1 }, query: p1, form: { folderId: await freshFolder(w), name: BAD.bidi } }),
    },
    {
      method: "PATCH",
      route: "/api/v1/folders/:folderId",
      variant,
      expect: bodyFirst(projectCap("asset.edit_metadata")),
      prepare: async (w) => ({ params: { folderId: await freshFolder(w) }, json: { name: BAD.bidi } }),
    },
    // Assets: name and tags
    {
      method: "POST",
      route: "/projects/:projectId/assets/:assetId",
      variant,
      form: { intent: "rename" },
      expect: refusedFor(uiProjectCap("asset.edit_metadata")),
      prepare: async (w) => ({ params: { projectId: w.p1, assetId: await sharedAsset(w) }, form: { name: BAD.dot } }),
    },
    {
      method: "PATCH",
      route: "/api/v1/assets/:assetId",
      variant,
      expect: bodyFirst(projectCap("asset.edit_metadata")),
      prepare: async (w) => ({ params: { assetId: await sharedAsset(w) }, json: { name: BAD.dot } }),
    },
    ...(["tag-add", "tag-remove"] as const).map((intent): Row => ({
      method: "POST",
      route: "/projects/:projectId/assets/:assetId",
      variant,
      form: { intent },
      expect: refusedFor(uiProjectCap("asset.edit_metadata")),
      prepare: async (w) => ({ params: { projectId: w.p1, assetId: await sharedAsset(w) }, form: { tag: BAD.control } }),
    })),
    ...(["bulk-tag-add", "bulk-tag-remove"] as const).map((intent): Row => ({
      method: "POST",
      route: "/projects/:projectId",
      variant,
      form: { intent },
      expect: refusedFor(uiProjectCap("asset.edit_metadata")),
      prepare: async (w) => ({ params: { projectId: w.p1 }, query: p1, form: { assetIds: await sharedAsset(w), tag: BAD.bidi } }),
    })),
    {
      method: "POST",
      route: "/api/v1/projects/:projectId/assets/bulk-update",
      variant,
      expect: bodyFirst(projectCap("asset.edit_metadata")),
      prepare: async (w) => ({ params: { projectId: w.p1 }, json: { assetIds: [await sharedAsset(w)], addTags: [BAD.bidi] } }),
    },
    // Zip name, saved searches
    {
      method: "POST",
      route: "/projects/:projectId/zip",
      variant,
      expect: refusedFor(uiProjectCap("asset.download_original"), 400),
      prepare: async (w) => ({ params: { projectId: w.p1 }, form: { assetIds: await sharedAsset(w), name: BAD.dots } }),
    },
    {
      method: "POST",
      route: "/api/v1/projects/:projectId/assets/zip",
      variant,
      expect: bodyFirst(projectCap("asset.download_original")),
      prepare: async (w) => ({ params: { projectId: w.p1 }, json: { assetIds: [await sharedAsset(w)], name: BAD.dots } }),
    },
    {
      method: "POST",
      route: "/projects/:projectId",
      variant,
      form: { intent: "search-save" },
      expect: refusedFor(uiProjectCap("asset.view")),
      prepare: async (w) => ({ params: { projectId: w.p1 }, query: p1, form: { name: BAD.bidi, search: "q=mx" } }),
    },
    {
      method: "POST",
      route: "/api/v1/projects/:projectId/saved-searches",
      variant,
      expect: bodyFirst(projectCap("asset.view")),
      prepare: async (w) => ({ params: { projectId: w.p1 }, json: { name: BAD.bidi, query: { q: "mx" } } }),
    },
    // Project members: role keys
    {
      method: "POST",
      route: "/projects/:projectId/members",
      variant,
      form: { intent: "grant" },
      expect: refusedFor(uiProjectCap("project.manage_members")),
      prepare: async (w) => ({
        params: { projectId: w.p1 },
        form: { form: "grant-user", principalType: "user", principalId: await freshUser(w), role: BAD.proto },
      }),
    },
    {
      method: "PUT",
      route: "/api/v1/projects/:projectId/members/:userId",
      variant,
      expect: bodyFirst(projectCap("project.manage_members")),
      prepare: async (w) => ({ params: { projectId: w.p1, userId: await freshUser(w) }, json: { role: BAD.proto } }),
    },
    {
      method: "PUT",
      route: "/api/v1/projects/:projectId/groups/:groupId",
      variant,
      expect: bodyFirst(projectCap("project.manage_members")),
      prepare: async (w) => ({ params: { projectId: w.p1, groupId: await freshGroup(w) }, json: { role: BAD.proto } }),
    },
    // Administration: groups, roles, projects, metadata fields, users
    {
      method: "POST",
      route: "/admin/groups",
      variant,
      form: { intent: "create" },
      expect: refusedFor(uiAdminOnly()),
      prepare: async () => ({ form: { name: BAD.bidi } }),
    },
    { method: "POST", route: "/api/v1/groups", variant, expect: refusedFor(adminOnly(false)), prepare: async () => ({ json: { name: BAD.bidi } }) },
    {
      method: "POST",
      route: "/admin/groups",
      variant,
      form: { intent: "rename" },
      expect: otherAdminUnseen(bodyFirst(uiAdminOnly(true), NON_ADMINS)),
      prepare: async (w) => ({ form: { groupId: await freshGroup(w), name: BAD.control } }),
    },
    {
      method: "PATCH",
      route: "/api/v1/groups/:groupId",
      variant,
      expect: bodyFirst(adminOnly(true), NON_ADMINS),
      prepare: async (w) => ({ params: { groupId: await freshGroup(w) }, json: { name: BAD.control } }),
    },
    {
      method: "POST",
      route: "/admin/roles",
      variant,
      form: { intent: "create" },
      expect: refusedFor(uiAdminOnly()),
      prepare: async () => ({ form: { name: BAD.bidi, permissions: "asset.view" } }),
    },
    {
      method: "POST",
      route: "/api/v1/roles",
      variant,
      expect: refusedFor(adminOnly(false)),
      prepare: async () => ({ json: { name: BAD.bidi, permissions: ["asset.view"] } }),
    },
    {
      method: "POST",
      route: "/admin/roles",
      variant,
      form: { intent: "update" },
      expect: otherAdminUnseen(bodyFirst(uiAdminOnly(true), NON_ADMINS)),
      prepare: async (w) => ({ form: { roleId: await freshRole(w), name: BAD.control, permissions: "asset.view" } }),
    },
    {
      method: "PATCH",
      route: "/api/v1/roles/:roleId",
      variant,
      expect: bodyFirst(adminOnly(true), NON_ADMINS),
      prepare: async (w) => ({ params: { roleId: await freshRole(w) }, json: { name: BAD.control } }),
    },
    {
      method: "POST",
      route: "/admin/projects",
      variant,
      form: { intent: "create" },
      expect: refusedFor(uiAdminOnly()),
      prepare: async () => ({ form: { name: BAD.bidi } }),
    },
    { method: "POST", route: "/api/v1/projects", variant, expect: bodyFirst(adminOnly(false)), prepare: async () => ({ json: { name: BAD.bidi } }) },
    {
      method: "POST",
      route: "/admin/projects",
      variant,
      form: { intent: "rename" },
      expect: otherAdminUnseen(bodyFirst(uiAdminOnly(true), NON_ADMINS)),
      prepare: async (w) => ({ form: { projectId: w.p2, name: BAD.control } }),
    },
    {
      method: "PATCH",
      route: "/api/v1/projects/:projectId",
      variant,
      expect: bodyFirst(projectCap("project.manage_members")),
      prepare: async (w) => ({ params: { projectId: w.p1 }, json: { name: BAD.control } }),
    },
    {
      method: "POST",
      route: "/admin/metadata-fields",
      variant,
      form: { intent: "create" },
      expect: refusedFor(uiAdminOnly()),
      prepare: async () => ({ form: { key: unique("ui_bad").replace(/-/g, "_"), label: BAD.bidi, type: "text" } }),
    },
    {
      method: "POST",
      route: "/api/v1/metadata-fields",
      variant,
      expect: refusedFor(adminOnly(false)),
      prepare: async () => ({ json: { key: unique("bad").replace(/-/g, "_"), label: BAD.bidi, type: "text" } }),
    },
    {
      method: "POST",
      route: "/admin/metadata-fields",
      variant,
      form: { intent: "update" },
      expect: otherAdminUnseen(bodyFirst(uiAdminOnly(true), NON_ADMINS)),
      prepare: async (w) => ({ form: { fieldId: await freshField(w), label: BAD.control, takesOptions: "no" } }),
    },
    {
      method: "PATCH",
      route: "/api/v1/metadata-fields/:fieldId",
      variant,
      expect: bodyFirst(adminOnly(true), NON_ADMINS),
      prepare: async (w) => ({ params: { fieldId: await freshField(w) }, json: { label: BAD.control } }),
    },
    {
      method: "POST",
      route: "/admin/users",
      variant,
      form: { intent: "invite" },
      expect: refusedFor(uiAdminOnly()),
      prepare: async () => ({ form: { email: `${unique("ui-bad")}@x.example`, name: BAD.bidi, tenantRole: "user" } }),
    },
    {
      method: "POST",
      route: "/api/v1/users",
      variant,
      expect: refusedFor(adminOnly(false)),
      prepare: async () => ({ json: { email: `${unique("bad")}@x.example`, name: BAD.bidi, tenantRole: "user" } }),
    },
    // The signed-in user's own profile and tokens
    {
      method: "POST",
      route: "/account",
      variant,
      form: { intent: "profile" },
      expect: refusedFor(uiTenantUser()),
      prepare: async () => ({ form: { name: BAD.bidi, locale: "ja" } }),
    },
    { method: "PATCH", route: "/api/v1/me", variant, expect: refusedFor(anyTenantUser()), prepare: async () => ({ json: { name: BAD.bidi } }) },
    {
      method: "POST",
      route: "/account/tokens",
      variant,
      form: { intent: "create" },
      expect: refusedFor(uiTenantUser()),
      prepare: async () => ({ form: { name: BAD.control, expiresInDays: "7" } }),
    },
    { method: "POST", route: "/api/v1/auth/tokens", variant, expect: refusedFor(anyTenantUser()), prepare: async () => ({ json: { name: BAD.control } }) },
    // Collections (issue #14)
    {
      method: "POST",
      route: "/projects/:projectId",
      variant,
      form: { intent: "collection-create" },
      expect: refusedFor(uiProjectCap("collection.manage")),
      prepare: async (w) => ({ params: { projectId: w.p1 }, query: p1, form: { name: BAD.dots } }),
    },
    {
      method: "POST",
      route: "/api/v1/collections",
      variant,
      expect: bodyFirst(projectCap("collection.manage")),
      prepare: async (w) => ({ json: { projectId: w.p1, name: BAD.dots } }),
    },
    {
      method: "POST",
      route: "/projects/:projectId/collections/:collectionId",
      variant,
      form: { intent: "rename" },
      expect: refusedFor(uiProjectCap("collection.manage")),
      prepare: async (w) => ({ params: { projectId: w.p1, collectionId: await freshCollection(w) }, form: { name: BAD.bidi } }),
    },
    {
      method: "PATCH",
      route: "/api/v1/collections/:collectionId",
      variant,
      expect: bodyFirst(projectCap("collection.manage")),
      prepare: async (w) => ({ params: { collectionId: await freshCollection(w) }, json: { name: BAD.bidi } }),
    },
    // Shares (issue #14): a recipient that is no e-mail address, on the page forms and the API.
    {
      method: "POST",
      route: "/projects/:projectId",
      variant: "invalid recipient",
      form: { intent: "share-create" },
      expect: refusedFor(uiProjectCap("share.create")),
      prepare: async (w) => ({
        params: { projectId: w.p1 },
        query: p1,
        form: { assetIds: await sharedAsset(w), linkKind: "recipients", recipients: BAD.bidi, scope: "preview", expiresAt: localExpiry() },
      }),
    },
    {
      method: "POST",
      route: "/projects/:projectId/collections/:collectionId",
      variant: "invalid recipient",
      form: { intent: "share-create" },
      expect: refusedFor(uiProjectCap("share.create")),
      prepare: async (w) => ({
        params: { projectId: w.p1, collectionId: await freshCollection(w) },
        form: { linkKind: "recipients", recipients: BAD.bidi, scope: "preview", expiresAt: localExpiry() },
      }),
    },
    {
      method: "POST",
      route: "/api/v1/shares",
      variant: "invalid recipient",
      expect: bodyFirst(projectCap("share.create")),
      prepare: async (w) => ({
        json: {
          projectId: w.p1,
          assetIds: [await sharedAsset(w)],
          recipients: [BAD.bidi],
          scope: "preview",
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      }),
    },
    {
      method: "POST",
      route: "/admin/shares",
      variant: "invalid days",
      form: { intent: "policy" },
      expect: refusedFor(uiAdminOnly()),
      prepare: async () => ({ form: { ...DEFAULT_POLICY_FORM, defaultExpiryDays: "120" } }),
    },
  ];
}

// ---------------------------------------------------------------------------
// Running a case
// ---------------------------------------------------------------------------

export const build = remixBuild as unknown as ServerBuild;

export function rowKey(row: Row) {
  const intent = row.form?.intent;
  return `${row.method} ${row.route}${intent ? `#${intent}` : ""}`;
}

function rowName(row: Row) {
  return `${rowKey(row)}${row.variant ? ` (${row.variant})` : ""}`;
}

function fillPath(route: string, params: Record<string, string> = {}): string {
  let path = route.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = params[name];
    if (!value) throw new Error(`no value for :${name} in ${route}`);
    return value;
  });
  if (path.endsWith("/*")) path = path.slice(0, -1) + "no-such-endpoint";
  return path;
}

async function credentialOf(w: World, who: Who): Promise<string | null> {
  if (who === "anonymous") return null;
  if (who === "operator") return OPERATOR_TOKEN;
  return w.users[who].token;
}

export function matches(outcome: Outcome, status: number, ui: boolean, location: string | null, body = ""): boolean {
  if (outcome === "ok") return status >= 200 && status < (ui ? 400 : 300);
  if (outcome === "invalid") {
    return ui
      ? status === 200 && body.includes('data-testid="form-error" data-code="validation_failed"')
      : status === 400 && body.includes('"code":"validation_failed"');
  }
  if (outcome === "login") return status === 302 && (location ?? "").startsWith("/login?redirectTo=");
  if (outcome === "consoleLogin") return status === 302 && location === "/operator/login";
  return status === outcome;
}

/** Public routes that change tenant A's data whoever calls them. */
export const PUBLIC_CHANGES = new Set(["/api/v1/auth/login", "/api/v1/auth/setup"]);

/** The tenant whose log records what `who` does. */
function tenantOf(w: World, who: Who): string | null {
  if (who === "anonymous" || who === "operator") return null;
  return who === "otherTenantAdmin" ? w.tenantB.id : w.tenantA.id;
}

async function headSeq(tenantId: string | null): Promise<number> {
  return tenantId ? ((await auditTail(tenantId, 1))[0]?.seq ?? 0) : 0;
}

async function settleProcessing(tenantId: string) {
  for (let i = 0; i < 200; i++) {
    const row = await env.TENANT_DB_S0.prepare("SELECT count(*) AS n FROM assets WHERE tenant_id = ? AND status = 'processing'")
      .bind(tenantId)
      .first<{ n: number }>();
    if (!row || row.n === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("assets still processing after 20 s");
}

export async function runCase(
  w: World,
  row: Row,
  who: Who,
): Promise<{ status: number; body: string; changed: boolean; location: string | null; newEvents: { action: string; outcome: string }[] }> {
  const prepared = (await row.prepare?.(w, who)) ?? {};
  // Sign-in and setup act on tenant A whoever calls them.
  const logTenant = PUBLIC_CHANGES.has(row.route) ? w.tenantA.id : tenantOf(w, who);
  const isUi = !row.route.startsWith("/api/");
  // Signing in writes a session and an audit event, so it happens before the snapshot and before
  // the audit cursor: the sign-in's own event never passes for the case's.
  const cookie = isUi ? await browserCookie(w, who) : null;
  const seqBefore = await headSeq(logTenant);
  const token = prepared.token === undefined || prepared.token === null ? await credentialOf(w, who) : prepared.token;
  const before = await snapshotTenant(w.tenantA.id);
  let res: Response;
  if (isUi) {
    const headers: Record<string, string> = { Origin: UI_ORIGIN, Host: new URL(UI_ORIGIN).host };
    if (cookie) headers.Cookie = cookie;
    const fields = { ...(prepared.form ?? (row.form ? {} : { locale: "en" })), ...(row.form ?? {}) };
    let body: BodyInit;
    if (prepared.body) {
      // A multipart form (a file input): the fields join the prepared FormData, and fetch writes its boundary.
      const multipart = prepared.body() as FormData;
      for (const [k, v] of Object.entries(fields)) multipart.set(k, v);
      body = multipart;
    } else {
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(fields);
    }
    res = await call(fillPath(row.route, prepared.params) + (prepared.query ?? ""), { method: row.method, redirect: "manual", headers, body });
  } else {
    res = await call(fillPath(row.route, prepared.params) + (prepared.query ?? ""), {
      method: row.method,
      token,
      ...(prepared.json !== undefined ? { json: prepared.json } : {}),
      ...(prepared.body ? { body: prepared.body() } : {}),
      headers: { "CF-Connecting-IP": "198.51.100.7", ...prepared.headers },
    });
  }
  const body = await res.text();
  const after = await snapshotTenant(w.tenantA.id);
  // An allowed upload is processed in the background; let it finish so it cannot land in the next case's snapshots.
  await settleProcessing(w.tenantA.id);
  const newEvents = logTenant ? (await auditTail(logTenant, 50)).filter((e) => e.seq > seqBefore) : [];
  await prepared.after?.();
  return { status: res.status, body, changed: before !== after, location: res.headers.get("Location"), newEvents };
}

/** Registers one test per row of `rows`, all against one world (made once per test file). */
export function matrixTests(rows: readonly Row[], worldName: string) {
  let world: World;
  // Every statement the app runs while the matrix drives it is recorded (one door to tenant data).
  let recording: ReturnType<typeof recordStatements>;
  beforeAll(async () => {
    recording = recordStatements();
    world = await buildWorld(worldName);
  }, 60_000);
  afterAll(() => recording.stop());

  for (const row of rows) {
    it(
      rowName(row),
      async () => {
        const failures: string[] = [];
        for (const who of PRINCIPALS) {
          const expected = row.expect[who];
          const { status, body, changed, location, newEvents } = await runCase(world, row, who);
          const isUi = !row.route.startsWith("/api/");
          if (!matches(expected, status, isUi, location, body)) failures.push(`${who}: expected ${expected}, got ${status} ${body.slice(0, 160)}`);
          if (expected !== "ok" && changed) failures.push(`${who}: denied with ${status}, but tenant A's data changed`);
          // Every allowed change leaves an event in the caller's tenant log…
          const isTenantUser = who !== "anonymous" && who !== "operator";
          const changes = row.method !== "GET" && (isTenantUser || PUBLIC_CHANGES.has(row.route));
          if (expected === "ok" && changes && !row.noAuditEvent && newEvents.filter((e) => e.outcome === "success").length === 0) {
            failures.push(`${who}: allowed ${row.method} recorded no audit event`);
          }
          // …and every authorization refusal of a signed-in user an access.denied.
          if (isTenantUser && expected === 403 && !newEvents.some((e) => e.action === "access.denied")) {
            failures.push(`${who}: 403 without an access.denied event`);
          }
          if (expected !== "ok" && !isUi && status >= 400) {
            const code = (JSON.parse(body) as { error?: { code?: string } }).error?.code;
            if (!code) failures.push(`${who}: denial without the contract's error body`);
          }
        }
        expect(failures).toEqual([]);
      },
      180_000,
    );
  }

  it("every SQL statement the app ran on a tenant table named its tenant (tenant_id)", () => {
    expect(recording.statements.length, "statements recorded").toBeGreaterThan(100);
    expect(statementsWithoutTenant(recording.statements)).toEqual([]);
  });
}

/** The slices run by separate test files (a file each keeps every run's isolate and storage small). */
const SHARING_API = /^\/api\/v1\/(shares|public\/shares)\b|^\/api\/v1\/projects\/:projectId\/shares\b|^\/api\/v1\/assets\/:assetId\/approvals$/;
const ASSET_API =
  /^\/api\/v1\/(assets|folders|uploads|saved-searches|usage|markers|collections)\b|^\/api\/v1\/projects\/:projectId\/(assets|folders|uploads|tags|saved-searches|collections)\b/;
/** Shares and their guests, API and UI, in a file of their own (the stack overflow that forced the split was the test pool's: scripts/patch-vitest-pool-workers.mjs). */
const SHARING_UI = /^\/s\/|^\/projects\/:projectId\/shares\b|^\/admin\/shares\b/;
export const isSharingApiRow = (row: Row) => SHARING_API.test(row.route);
export const isSharingRow = (row: Row) => isSharingApiRow(row) || SHARING_UI.test(row.route) || row.form?.intent === "share-create";
export const isAssetApiRow = (row: Row) => !isSharingApiRow(row) && ASSET_API.test(row.route);
export const isUiRow = (row: Row) => !row.route.startsWith("/api/") && !isSharingRow(row);
export const isCoreApiRow = (row: Row) => row.route.startsWith("/api/") && !isAssetApiRow(row) && !isSharingApiRow(row);
