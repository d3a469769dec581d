/**
 * The operator console (issue #12, ADR 0027): its own sign-in with operator accounts and TOTP, the
 * bootstrap token only for the first account (a burst makes one), pages that show contract facts
 * and numbers but never customer content, and an operator audit log of every action, console or
 * API token, with the tenant's own log where an action touches a tenant.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { browserSignIn, call, kura, OPERATOR_TOKEN } from "../../support/http";
import { auditTail, PASSWORD, totpNow } from "../../support/world";

const ORIGIN = "https://kura.test";
const OP_EMAIL = "ops@kura.example";
const OP_PASSWORD = "Operators keep the lights on 24";
const SECRET_PROJECT = "極秘プロジェクト・新作映画";
const SECRET_ASSET = "本編_最終版_v12.mov";

let tenant: { id: string; slug: string; token: string };
let totpSecret = "";
let session = "";

const cookieOf = (res: Response, name = "kura_op") =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(";")[0] ?? "";

function form(path: string, data: Record<string, string>, cookie = "") {
  return call(path, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, Origin: ORIGIN, Host: new URL(ORIGIN).host, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(data),
  });
}

const get = (path: string, cookie = "") => call(path, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
const operatorEvents = async () =>
  (
    await env.CONTROL_DB.prepare("SELECT actor, action, target_id AS targetId FROM operator_audit ORDER BY at").all<{
      actor: string;
      action: string;
      targetId: string | null;
    }>()
  ).results;

beforeAll(async () => {
  const t = await kura.createTenant({ slug: "op-console", name: "撮影 株式会社", password: PASSWORD });
  const projectId = await kura.createProject(t.admin.token, SECRET_PROJECT);
  await kura.uploadAsset(t.admin.token, projectId, SECRET_ASSET, "bytes of the final cut");
  tenant = { id: t.id, slug: t.slug, token: t.admin.token };
}, 60_000);

describe("operator console sign-in", () => {
  it("is closed to visitors, tenant users and the API's bearer token", async () => {
    for (const path of [
      "/operator",
      "/operator/announcements",
      "/operator/audit",
      "/operator/outbox",
      "/operator/certificates",
      `/operator/tenants/${tenant.id}`,
    ]) {
      const anonymous = await get(path);
      expect(anonymous.status, path).toBe(302);
      expect(anonymous.headers.get("Location")).toBe("/operator/login");
      const bearer = await call(path, { redirect: "manual", token: OPERATOR_TOKEN });
      expect(bearer.headers.get("Location"), path).toBe("/operator/login");
    }
    const tenantCookie = await browserSignIn({ tenant: tenant.slug, email: `admin@${tenant.slug}.example`, password: PASSWORD });
    expect((await get("/operator", tenantCookie)).headers.get("Location")).toBe("/operator/login");
  });

  it("creates the first operator with the bootstrap token only, exactly once under a burst", async () => {
    const wrong = await form("/operator/setup", { bootstrapToken: "not-the-token", email: OP_EMAIL, name: "運用 太郎", password: OP_PASSWORD });
    expect(wrong.status).toBe(200);
    expect(await wrong.text()).toMatch(/role="alert"/);
    expect((await env.CONTROL_DB.prepare("SELECT COUNT(*) AS n FROM operators").first<{ n: number }>())!.n).toBe(0);

    const burst = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        form("/operator/setup", { bootstrapToken: OPERATOR_TOKEN, email: i === 0 ? OP_EMAIL : `ops${i}@kura.example`, name: "運用", password: OP_PASSWORD }),
      ),
    );
    const made = burst.filter((r) => r.status === 302);
    expect(made).toHaveLength(1);
    const rows = (await env.CONTROL_DB.prepare("SELECT email, status FROM operators").all<{ email: string; status: string }>()).results;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe("pending_totp");
    // Whoever won, sign in as that account from here on.
    const winner = rows[0]!.email;
    if (winner !== OP_EMAIL) await env.CONTROL_DB.prepare("UPDATE operators SET email = ?").bind(OP_EMAIL).run();

    // The new account can see nothing until it has enrolled: the challenge only shows its own key.
    const challenge = cookieOf(made[0]!);
    expect((await get("/operator", challenge)).headers.get("Location")).toBe("/operator/login");
    const enrol = await (await get("/operator/login", challenge)).text();
    totpSecret = /data-testid="op-totp-secret">([A-Z2-7]+)</.exec(enrol)![1]!;
    expect((await form("/operator/login", { intent: "code", code: "000000" }, challenge)).status).toBe(200);
    const done = await form("/operator/login", { intent: "code", code: totpNow(totpSecret) }, challenge);
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/operator");
    session = cookieOf(done);
    expect(done.headers.getSetCookie().find((c) => c.startsWith("kura_op="))).toMatch(/HttpOnly; SameSite=Strict/);
    // Once set up, the bootstrap token makes no second account.
    const again = await form("/operator/setup", { bootstrapToken: OPERATOR_TOKEN, email: "late@kura.example", name: "x", password: OP_PASSWORD });
    expect(again.status).toBe(200);
    expect((await env.CONTROL_DB.prepare("SELECT COUNT(*) AS n FROM operators").first<{ n: number }>())!.n).toBe(1);
  });

  it("needs both the password and a fresh code; wrong passwords in a burst are throttled", async () => {
    const wrongPassword = await form("/operator/login", { intent: "password", email: OP_EMAIL, password: "not the password at all" });
    expect(wrongPassword.status).toBe(200);
    expect(cookieOf(wrongPassword)).toBe("");
    const burst = await Promise.all(
      Array.from({ length: 12 }, () => form("/operator/login", { intent: "password", email: "nobody@kura.example", password: "guess guess guess" })),
    );
    const texts = await Promise.all(burst.map((r) => r.text()));
    expect(texts.filter((t) => /data-code="rate_limited"|rate_limited|しばらく|Too many|時間をおいて/.test(t)).length).toBeGreaterThan(0);
  });
});

describe("operator console pages", () => {
  it("lists tenants with contract facts and numbers, never customer content", async () => {
    const res = await get("/operator", session);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(tenant.slug);
    expect(html).toContain("撮影 株式会社");
    for (const secret of [SECRET_PROJECT, SECRET_ASSET]) expect(html).not.toContain(secret);
    const detail = await (await get(`/operator/tenants/${tenant.id}`, session)).text();
    for (const secret of [SECRET_PROJECT, SECRET_ASSET]) expect(detail).not.toContain(secret);
    expect((await get("/operator/tenants/tnt_aaaaaaaaaaaaaaaaaaaaaaaaaa", session)).status).toBe(404);
  });

  it("publishes an incident that the tenant's users see, recorded in the operator log", async () => {
    const res = await form(
      "/operator/announcements",
      { severity: "incident", title: "配信障害のお知らせ", body: "Playback is slow.", tenantIds: "", endsAt: "" },
      session,
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('data-testid="op-announced"');
    const notices = await kura.must<{ items: { title: string }[] }>(200, "/notices", { token: tenant.token });
    expect(notices.items.map((n) => n.title)).toContain("配信障害のお知らせ");
    const bad = await form("/operator/announcements", { severity: "panic", title: "", body: "x", tenantIds: "not-a-tenant" }, session);
    expect(bad.status).toBe(200);
    expect(await bad.text()).toMatch(/role="alert"/);
    expect((await operatorEvents()).some((e) => e.action === "announcement.created" && e.actor === `console:${OP_EMAIL}`)).toBe(true);
  });

  it("edits the contract (quota, admin contact) and moves the tenant to another shard; bad values change nothing", async () => {
    const quotaOf = async () =>
      (await kura.must<{ storageQuotaBytes: number }>(200, `/operator/tenants/${tenant.id}`, { token: OPERATOR_TOKEN })).storageQuotaBytes;
    const before = await quotaOf();
    // The form's own default (the quota in GB, to the byte) saves as it is.
    const page0 = await (await get(`/operator/tenants/${tenant.id}`, session)).text();
    const shown = /name="quotaGb"[^>]*value="([^"]*)"/.exec(page0)?.[1] ?? /value="([^"]*)"[^>]*name="quotaGb"/.exec(page0)?.[1];
    expect(Number(shown) * 1e9).toBeCloseTo(before, 0);
    const same = await form(`/operator/tenants/${tenant.id}`, { intent: "contract", quotaGb: shown!, adminEmail: `admin@${tenant.slug}.example` }, session);
    expect(await same.text()).toContain('data-testid="op-contract-saved"');
    expect(await quotaOf()).toBe(before);
    for (const quotaGb of ["0", "-1", "1e3", "12.3456789012", ""]) {
      const bad = await form(`/operator/tenants/${tenant.id}`, { intent: "contract", quotaGb, adminEmail: "admin@op-console.example" }, session);
      expect(bad.status, quotaGb).toBe(200);
      expect(await bad.text(), quotaGb).toMatch(/aria-invalid="true"/);
    }
    const badMail = await form(`/operator/tenants/${tenant.id}`, { intent: "contract", quotaGb: "2", adminEmail: "not-an-address" }, session);
    expect(await badMail.text()).toMatch(/aria-invalid="true"/);
    expect(await quotaOf()).toBe(before);

    const saved = await form(`/operator/tenants/${tenant.id}`, { intent: "contract", quotaGb: "2.5", adminEmail: "Keiyaku@OP-console.example" }, session);
    expect(await saved.text()).toContain('data-testid="op-contract-saved"');
    expect(await quotaOf()).toBe(2_500_000_000);
    const contact = await env.CONTROL_DB.prepare("SELECT admin_email FROM tenants WHERE id = ?").bind(tenant.id).first("admin_email");
    expect(contact).toBe("keiyaku@op-console.example");
    const logged = (await operatorEvents()).filter((e) => e.action === "tenant.contract_updated" && e.targetId === tenant.id);
    expect(logged.map((e) => e.actor)).toEqual([`console:${OP_EMAIL}`, `console:${OP_EMAIL}`]);

    // The move: offered only to shards of the map other than the tenant's own.
    await env.CONTROL_DB.prepare("INSERT OR IGNORE INTO shards (key, binding, accepts_new_tenants) VALUES ('s1', 'TENANT_DB_S1', 0)").run();
    const page = await (await get(`/operator/tenants/${tenant.id}`, session)).text();
    expect(page).toMatch(/<option value="s1"/);
    expect(page).not.toMatch(/<option value="s0"/);
    const nowhere = await form(`/operator/tenants/${tenant.id}`, { intent: "move", shard: "s9" }, session);
    expect(await nowhere.text()).toMatch(/role="alert"/);
    const moved = await form(`/operator/tenants/${tenant.id}`, { intent: "move", shard: "s1" }, session);
    expect(await moved.text()).toContain('data-testid="op-moved"');
    expect(await env.CONTROL_DB.prepare("SELECT shard_key FROM tenants WHERE id = ?").bind(tenant.id).first("shard_key")).toBe("s1");
    // Its users sign in again and find everything where it was; the page shows the new shard.
    const fresh = await kura.login(tenant.slug, `admin@${tenant.slug}.example`, PASSWORD);
    const projects = await kura.must<{ items: { name: string }[] }>(200, "/projects", { token: fresh });
    expect(projects.items.map((p) => p.name)).toContain(SECRET_PROJECT);
    tenant = { ...tenant, token: fresh };
    expect(await (await get(`/operator/tenants/${tenant.id}`, session)).text()).toMatch(/data-testid="op-shard"><code>s1<\/code>/);
    expect((await operatorEvents()).some((e) => e.action === "tenant.moved" && e.targetId === tenant.id && e.actor === `console:${OP_EMAIL}`)).toBe(true);
  });

  it("shows the mail sent (recipient, subject, time; never the body with its links) and the certificates", async () => {
    const outbox = await get("/operator/outbox", session);
    expect(outbox.status).toBe(200);
    const html = await outbox.text();
    expect(html).toContain(`admin@${tenant.slug}.example`);
    // The setup e-mail's link (its token) is not on the page.
    expect(html).not.toMatch(/\/setup\?token=|kura_o_/);
    const filtered = await (await get(`/operator/outbox?to=${encodeURIComponent("nobody@nowhere.example")}`, session)).text();
    expect(filtered).not.toContain(`admin@${tenant.slug}.example`);
    expect((await get("/operator/outbox?to=not-an-address", session)).status).toBe(400);
    // Reading the mail is recorded (it names people of the tenants), with the filter.
    const reads = (
      await env.CONTROL_DB.prepare("SELECT actor, details FROM operator_audit WHERE action = 'outbox.viewed' ORDER BY at").all<{
        actor: string;
        details: string;
      }>()
    ).results;
    expect(reads.filter((r) => r.actor === `console:${OP_EMAIL}`).map((r) => JSON.parse(r.details).to)).toEqual(
      expect.arrayContaining([null, "nobody@nowhere.example"]),
    );
    expect((await get("/operator/certificates", session)).status).toBe(200);
    // Closed without a console session.
    expect((await get("/operator/outbox")).status).toBe(302);
    expect((await get("/operator/certificates")).status).toBe(302);
  });

  it("terminates a tenant only with its slug typed again; both logs record it", async () => {
    const wrong = await form(`/operator/tenants/${tenant.id}`, { intent: "terminate", confirmSlug: "some-other-tenant" }, session);
    expect(wrong.status).toBe(200);
    expect((await call("/api/v1/projects", { token: tenant.token })).status).toBe(200);
    const done = await form(`/operator/tenants/${tenant.id}`, { intent: "terminate", confirmSlug: tenant.slug }, session);
    expect(done.status).toBe(200);
    expect((await call("/api/v1/projects", { token: tenant.token })).status).toBe(401);
    expect((await operatorEvents()).some((e) => e.action === "tenant.terminated" && e.targetId === tenant.id && e.actor === `console:${OP_EMAIL}`)).toBe(true);
    expect((await auditTail(tenant.id)).map((e) => e.action)).toContain("operator.tenant_terminated");
    const log = await (await get("/operator/audit", session)).text();
    expect(log).toContain("tenant.terminated");
    expect(log).toContain("operator.signed_in");
  });

  it("adds a further operator, who must enrol their own authenticator, and disables them", async () => {
    const bob = "bob@kura.example";
    const added = await form("/operator/operators", { intent: "add", email: bob, name: "Bob", password: "Bob keeps the night archive 42" }, session);
    expect(added.status).toBe(200);
    expect(await added.text()).toContain('data-testid="op-operators-done"');
    const duplicate = await form("/operator/operators", { intent: "add", email: bob, name: "Bob", password: "Bob keeps the night archive 42" }, session);
    expect(await duplicate.text()).toMatch(/role="alert"/);
    const row = await env.CONTROL_DB.prepare("SELECT id, status FROM operators WHERE email = ?").bind(bob).first<{ id: string; status: string }>();
    expect(row!.status).toBe("pending_totp");
    // Bob's first sign-in shows his own key to enrol; he sees nothing of the console before.
    const bobChallenge = cookieOf(await form("/operator/login", { intent: "password", email: bob, password: "Bob keeps the night archive 42" }));
    expect(await (await get("/operator/login", bobChallenge)).text()).toContain("op-totp-secret");
    expect((await get("/operator", bobChallenge)).headers.get("Location")).toBe("/operator/login");
    // Disabled: his sign-in in progress ends and his password no longer works; nobody disables themselves.
    const me = await env.CONTROL_DB.prepare("SELECT id FROM operators WHERE email = ?").bind(OP_EMAIL).first<{ id: string }>();
    expect(await (await form("/operator/operators", { intent: "disable", operatorId: me!.id }, session)).text()).toMatch(/role="alert"/);
    expect((await form("/operator/operators", { intent: "disable", operatorId: row!.id }, session)).status).toBe(200);
    expect(await (await get("/operator/login", bobChallenge)).text()).not.toContain("op-totp-secret");
    expect(cookieOf(await form("/operator/login", { intent: "password", email: bob, password: "Bob keeps the night archive 42" }))).toBe("");
    const actions = (await operatorEvents()).map((e) => e.action);
    expect(actions).toContain("operator.created");
    expect(actions).toContain("operator.disabled");
  });

  it("records the API token's actions too, and a signed-out session is over", async () => {
    await kura.must(201, "/operator/announcements", { token: OPERATOR_TOKEN, json: { severity: "info", title: "API notice", body: "From automation." } });
    expect((await operatorEvents()).some((e) => e.action === "announcement.created" && e.actor === "api_token")).toBe(true);
    const out = await form("/operator/logout", {}, session);
    expect(out.status).toBe(302);
    expect((await get("/operator", session)).headers.get("Location")).toBe("/operator/login");
    // Signing in again starts with the password step (the code of this 30-second step is spent).
    const again = await form("/operator/login", { intent: "password", email: OP_EMAIL, password: OP_PASSWORD });
    expect(again.status).toBe(302);
    const challenge = cookieOf(again);
    expect((await get("/operator", challenge)).headers.get("Location")).toBe("/operator/login");
    expect(await (await get("/operator/login", challenge)).text()).not.toContain("op-totp-secret");
  });
});
