import { beforeAll, describe, expect, it } from "vitest";
import { pseudoRandomBytes, uploadAsset, waitProcessed } from "../../support/assets";
import { browserSignIn, call, operator, ORIGIN } from "../../support/http";
import { buildWorld, expectJson, PASSWORD as WORLD_PASSWORD, type World } from "../../support/world";

/**
 * Errors by reason code (issue #10): the page forms show the localised text
 * of a domain refusal, in Japanese and English, chosen by the error's reason
 * and never by its English message; the API's JSON keeps the contract's
 * shape, with no reason in it.
 */

const PASSWORD = "Harbour lights across the bay 2024";
type Lang = "en" | "ja";
type Fields = Record<string, string | string[]>;

function form(path: string, fields: Fields, init: { cookie?: string; ip?: string; lang?: Lang } = {}) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  const headers: Record<string, string> = {
    Origin: ORIGIN,
    Host: new URL(ORIGIN).host,
    "Accept-Language": init.lang ?? "en",
    "Content-Type": "application/x-www-form-urlencoded",
  };
  if (init.cookie) headers.Cookie = init.cookie;
  if (init.ip) headers["CF-Connecting-IP"] = init.ip;
  return call(path, { method: "POST", body, headers, redirect: "manual" });
}

async function html(res: Response | Promise<Response>): Promise<string> {
  const r = await res;
  const text = await r.text();
  expect(r.status, text.slice(0, 300)).toBe(200);
  return text;
}

async function newTenant(slug: string) {
  const adminEmail = `admin@${slug}.example`;
  const res = await operator("/api/v1/operator/tenants", { method: "POST", json: { slug, name: `Tenant ${slug}`, adminEmail } });
  expect(res.status).toBe(201);
  const { adminSetupToken } = (await res.json()) as { adminSetupToken: string };
  return { slug, adminEmail, setupToken: adminSetupToken };
}

/** A fresh tenant whose admin has set a password and is signed in from `ip`. */
async function signedInAdmin(slug: string, ip: string) {
  const t = await newTenant(slug);
  expect((await form("/setup", { token: t.setupToken, password: PASSWORD, confirmPassword: PASSWORD })).status).toBe(302);
  const cookie = await browserSignIn({ tenant: slug, email: t.adminEmail, password: PASSWORD, ip });
  return { ...t, cookie };
}

const LANGS: Lang[] = ["en", "ja"];

describe("identity refusals are shown in the user's language", () => {
  const ip = "198.51.100.44";
  let admin: { slug: string; adminEmail: string; cookie: string };
  let adminId: string;

  beforeAll(async () => {
    admin = await signedInAdmin("ui-reasons-id", ip);
    const list = await html(call("/admin/users", { headers: { Cookie: admin.cookie, "CF-Connecting-IP": ip }, redirect: "manual" }));
    const row = list.split('data-testid="user-row"').find((r) => r.includes(`data-email="${admin.adminEmail}"`));
    adminId = /name="userId" value="([^"]+)"/.exec(row ?? "")![1]!;
  }, 60_000);

  const lastAdmin = {
    en: "This is the last tenant administrator: make someone else an administrator first.",
    ja: "最後のテナント管理者です。先に他のユーザーを管理者にしてください。",
  };
  it.each(LANGS)("last-admin refusal (%s)", async (lang) => {
    const res = await html(form("/admin/users", { intent: "role", userId: adminId, tenantRole: "user" }, { cookie: admin.cookie, ip, lang }));
    expect(res).toContain(lastAdmin[lang]);
  });

  const duplicate = {
    en: "A user with this e-mail already exists in the tenant.",
    ja: "このメールアドレスのユーザーはすでに存在します。",
  };
  it.each(LANGS)("duplicate e-mail (%s)", async (lang) => {
    const res = await html(form("/admin/users", { intent: "invite", email: admin.adminEmail, tenantRole: "user" }, { cookie: admin.cookie, ip, lang }));
    expect(res).toContain(duplicate[lang]);
  });

  const lockout = {
    en: `This list does not include your own IP address (${ip}); saving it would lock you out.`,
    ja: `このリストにはあなたの IP アドレス（${ip}）が含まれていません。保存するとログインできなくなります。`,
  };
  it.each(LANGS)("IP allow-list lock-out names the IP (%s)", async (lang) => {
    const res = await html(form("/admin/security", { ipAllowlist: "203.0.113.0/24" }, { cookie: admin.cookie, ip, lang }));
    expect(res).toContain(lockout[lang]);
  });

  const linkInvalid = {
    en: "This link is invalid, has already been used or has expired. Ask for a new one.",
    ja: "このリンクは無効、使用済み、または期限切れです。新しいリンクを依頼してください。",
  };
  it.each(LANGS)("invalid or used setup link (%s)", async (lang) => {
    const used = await html(
      form("/setup", { token: await newTenantToken(`ui-reasons-link-${lang}`, true), password: PASSWORD, confirmPassword: PASSWORD }, { lang }),
    );
    expect(used).toContain(linkInvalid[lang]);
    const bogus = await html(form("/setup", { token: "not-a-real-token", password: PASSWORD, confirmPassword: PASSWORD }, { lang }));
    expect(bogus).toContain(linkInvalid[lang]);
  });

  const expired = {
    en: "The sign-in has expired. Start again.",
    ja: "ログインの有効期限が切れました。最初からやり直してください。",
  };
  it.each(LANGS)("expired sign-in challenge (%s)", async (lang) => {
    const res = await html(form("/login", { intent: "code", challenge: "expired-or-forged-challenge", code: "123456" }, { lang, ip: "198.51.100.45" }));
    expect(res).toContain(expired[lang]);
  });

  const common = {
    en: "This password is among the most common ones; choose another.",
    ja: "よく使われているパスワードです。別のものを選んでください。",
  };
  it.each(LANGS)("common password (%s)", async (lang) => {
    const token = await newTenantToken(`ui-reasons-pw-${lang}`, false);
    // The form posts back to its own URL, link token included, as a browser does.
    const res = await html(form(`/setup?token=${encodeURIComponent(token)}`, { token, password: "password1234", confirmPassword: "password1234" }, { lang }));
    expect(res).toContain(common[lang]);
  });
});

/** A setup token of a fresh tenant; `used`: already spent on a password. */
async function newTenantToken(slug: string, used: boolean): Promise<string> {
  const t = await newTenant(slug);
  if (used) expect((await form("/setup", { token: t.setupToken, password: PASSWORD, confirmPassword: PASSWORD })).status).toBe(302);
  return t.setupToken;
}

describe("asset refusals are shown in the user's language", () => {
  let w: World;
  let admin: string;

  beforeAll(async () => {
    w = await buildWorld("uerr");
    const a = w.users.tenantAdmin;
    admin = await browserSignIn({ tenant: a.tenantSlug, email: a.email, password: WORLD_PASSWORD });
    await expectJson(
      w.asAdmin("/api/v1/metadata-fields", { method: "POST", json: { key: "camera", label: "Camera", type: "select", options: ["A", "B"] } }),
      201,
    );
  }, 120_000);

  const notEmpty = {
    en: "Only empty folders can be deleted: move or delete what is inside first.",
    ja: "削除できるのは空のフォルダーだけです。先に中身を移動または削除してください。",
  };
  it.each(LANGS)("folder not empty (%s)", async (lang) => {
    const folder = await expectJson<{ id: string }>(w.asAdmin(`/api/v1/projects/${w.p1}/folders`, { method: "POST", json: { name: `full-${lang}` } }), 201);
    await expectJson(w.asAdmin(`/api/v1/projects/${w.p1}/folders`, { method: "POST", json: { name: "inner", parentId: folder.id } }), 201);
    const res = await html(form(`/projects/${w.p1}?index`, { intent: "folder-delete", folderId: folder.id }, { cookie: admin, lang }));
    expect(res).toContain(notEmpty[lang]);
  });

  const notOption = { en: "Choose from the listed options.", ja: "一覧の選択肢から選んでください。" };
  it.each(LANGS)("metadata value not an option (%s)", async (lang) => {
    const token = w.users.tenantAdmin.token;
    const created = await uploadAsset(token, w.p1, `opt-${lang}.mov`, pseudoRandomBytes(1024, lang.length + 3), { type: "video/quicktime" });
    await waitProcessed(token, created.id);
    const res = await html(form(`/projects/${w.p1}/assets/${created.id}`, { intent: "metadata", "metadata.camera": "Z" }, { cookie: admin, lang }));
    expect(res).toMatch(new RegExp(`data-testid="error-metadata.camera">${notOption[lang]}<`));
  });

  it("the API's JSON errors keep the contract's shape: no reason, English messages as before", async () => {
    const folder = await expectJson<{ id: string }>(w.asAdmin(`/api/v1/projects/${w.p1}/folders`, { method: "POST", json: { name: "api-full" } }), 201);
    await expectJson(w.asAdmin(`/api/v1/projects/${w.p1}/folders`, { method: "POST", json: { name: "inner", parentId: folder.id } }), 201);
    const token = w.users.tenantAdmin.token;
    const asset = await uploadAsset(token, w.p1, "api-opt.mov", pseudoRandomBytes(1024, 11), { type: "video/quicktime" });
    await waitProcessed(token, asset.id);
    const t = await newTenant("ui-reasons-api");

    const cases: [Response, number, string, string, string[]?][] = [
      [
        await w.asAdmin(`/api/v1/folders/${folder.id}`, { method: "DELETE" }),
        409,
        "conflict",
        "Only empty folders can be deleted: move or delete what is inside first.",
      ],
      [
        await w.asAdmin(`/api/v1/users/${w.users.tenantAdmin.id}`, { method: "PATCH", json: { tenantRole: "user" } }),
        409,
        "conflict",
        "This is the last tenant administrator: promote someone else first.",
      ],
      [
        await w.asAdmin(`/api/v1/users`, { method: "POST", json: { email: w.users.tenantAdmin.email, tenantRole: "user" } }),
        409,
        "conflict",
        "A user with this e-mail already exists in the tenant.",
      ],
      [
        await w.asAdmin(`/api/v1/assets/${asset.id}`, { method: "PATCH", json: { metadata: { camera: "Z" } } }),
        400,
        "validation_failed",
        "Some metadata values do not fit their fields.",
        ["Must be one of: A, B."],
      ],
      [
        await call("/api/v1/auth/setup", { method: "POST", json: { token: t.setupToken, password: "password1234" } }),
        400,
        "validation_failed",
        "The request body is not valid.",
        ["This password is among the most common ones; choose another."],
      ],
      [
        await call("/api/v1/auth/setup", { method: "POST", json: { token: "not-a-real-token", password: PASSWORD } }),
        400,
        "bad_request",
        "This link is invalid, used or expired. Ask for a new one.",
      ],
      // Zod issues with a reason attached at the schema, or derived from the issue (too_long with its maximum).
      [
        await w.asAdmin(`/api/v1/projects/${w.p1}/folders`, { method: "POST", json: { name: "a/b" } }),
        400,
        "validation_failed",
        "The request body is not valid.",
        ["Names may not contain / or \\."],
      ],
      [
        await w.asAdmin(`/api/v1/assets/${asset.id}`, { method: "PATCH", json: { tags: ["x".repeat(65)] } }),
        400,
        "validation_failed",
        "The request body is not valid.",
        ["Tags are at most 64 characters."],
      ],
      // A page's resource route answers the contract's JSON too (its form schema's issues carry reasons).
      [
        await form(`/projects/${w.p1}/zip`, { assetIds: asset.id, name: "a/b" }, { cookie: admin }),
        400,
        "validation_failed",
        "Select between 1 and 1,000 assets.",
        ["Names may not contain / or \\."],
      ],
    ];
    for (const [res, status, code, message, details] of cases) {
      const text = await res.text();
      expect(res.status, text).toBe(status);
      expect(text).not.toMatch(/reason/i);
      const body = JSON.parse(text) as { error: { code: string; message: string; details?: { path: string; message: string }[] } };
      expect(Object.keys(body)).toEqual(["error"]);
      expect(Object.keys(body.error).sort()).toEqual(details ? ["code", "details", "message"] : ["code", "message"]);
      expect(body.error.code).toBe(code);
      expect(body.error.message).toBe(message);
      if (details) {
        expect(body.error.details!.map((d) => d.message)).toEqual(details);
        for (const d of body.error.details!) expect(Object.keys(d).sort()).toEqual(["message", "path"]);
      }
    }
  });
});
