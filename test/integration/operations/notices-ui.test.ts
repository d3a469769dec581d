/**
 * Announcements in the web app (issue #12): a banner over every page of the addressed tenants'
 * users (the most severe first, escaped), the notifications list, hiding a banner for this browser
 * (validated like the API), and the public status page's incident history with its signing key.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { browserSignIn, call, kura, operator } from "../../support/http";
import { PASSWORD } from "../../support/world";

const ORIGIN = "https://kura.test";
let a: { id: string; slug: string; cookie: string };
let b: { id: string; slug: string; cookie: string };
let incidentId = "";

async function tenant(slug: string) {
  const t = await kura.createTenant({ slug, password: PASSWORD });
  await kura.addUser(t.admin.token, slug, { email: `member@${slug}.example`, password: PASSWORD });
  return { id: t.id, slug, cookie: await browserSignIn({ tenant: slug, email: `member@${slug}.example`, password: PASSWORD }) };
}

const page = async (path: string, cookie?: string) => {
  const res = await call(path, { headers: cookie ? { Cookie: cookie } : {} });
  expect(res.status, path).toBe(200);
  return res.text();
};
const post = async (json: unknown) => (await kura.must<{ id: string }>(201, "/operator/announcements", { token: kura.operatorToken, json })).id;
const hide = (cookie: string, form: Record<string, string>) =>
  call("/notices", {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, Origin: ORIGIN, Host: new URL(ORIGIN).host, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });

beforeAll(async () => {
  a = await tenant("nui-a");
  b = await tenant("nui-b");
  await post({ severity: "info", title: "新機能のお知らせ", body: "Only for tenant A.", tenantIds: [a.id] });
  incidentId = await post({ severity: "incident", title: "<script>alert(1)</script> 配信遅延", body: "Line one.\nLine two." });
  // An incident that has ended (written as the operator's record would be, ended yesterday).
  await env.CONTROL_DB.prepare(
    "INSERT INTO announcements (id, severity, title, body, tenant_ids, created_at, ends_at) VALUES (?, 'incident', ?, ?, NULL, ?, ?)",
  )
    .bind(
      "ann_endedincident0000000000000",
      "昨日の障害",
      "Resolved.",
      new Date(Date.now() - 2 * 86_400_000).toISOString(),
      new Date(Date.now() - 86_400_000).toISOString(),
    )
    .run();
}, 60_000);

describe("the notice banner and list", () => {
  it("shows the addressed tenant's users the most severe notice first, escaped, with how many more", async () => {
    const html = await page("/projects", a.cookie);
    const banner = /<div class="notice-banner"[^>]*data-severity="(\w+)"[^>]*>([\s\S]*?)<\/div><\/div>/.exec(html);
    expect(banner?.[1]).toBe("incident");
    expect(banner?.[2]).toContain("&lt;script&gt;alert(1)&lt;/script&gt; 配信遅延");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(banner?.[2]).toMatch(/ほか 1 件|1 more/);
    // Tenant B sees the incident (addressed to all) but not A's info.
    const list = await page("/notices", b.cookie);
    expect(list).toContain("配信遅延");
    expect(list).not.toContain("新機能のお知らせ");
    expect(list).not.toContain("昨日の障害");
    // No banner for a visitor who is not signed in.
    expect(await page("/status")).not.toContain("notice-banner");
  });

  it("hides a banner for this browser only; the list keeps it; a bad id or redirect is refused", async () => {
    const res = await hide(a.cookie, { id: incidentId, redirectTo: "/projects" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/projects");
    const set = res.headers.getSetCookie().find((c) => c.startsWith("kura_notices_hidden="))!;
    expect(set).toContain("HttpOnly");
    const cookie = `${a.cookie}; ${set.split(";")[0]}`;
    const html = await page("/projects", cookie);
    expect(html).not.toContain("配信遅延</span>");
    expect(/<div class="notice-banner"[^>]*data-severity="info"/.test(html)).toBe(true);
    expect(await page("/notices", cookie)).toContain("配信遅延");

    for (const form of [{ id: "ann_short" }, { id: "'; DROP TABLE x" }, {}, { id: incidentId.toUpperCase() }]) {
      expect((await hide(a.cookie, form as Record<string, string>)).status, JSON.stringify(form)).toBe(400);
    }
    // An off-site redirect becomes the list.
    const offsite = await hide(a.cookie, { id: incidentId, redirectTo: "https://evil.example/" });
    expect(offsite.headers.get("Location")).toBe("/notices");
    // A forged cookie value carries nothing but well-formed ids.
    expect(await page("/notices", `${a.cookie}; kura_notices_hidden=<b>.ann_x`)).toContain("配信遅延");
  });

  it("the list needs a signed-in tenant user", async () => {
    const res = await call("/notices", { redirect: "manual" });
    expect([302, 303]).toContain(res.status);
    expect((await operator("/notices", { redirect: "manual" })).status).not.toBe(200);
  });
});

describe("the status page", () => {
  it("lists current and past incidents of the last 90 days, and publishes the certificate signing key", async () => {
    const html = await page("/status");
    const history = /data-testid="incident-history"[\s\S]*?<\/section>/.exec(html)![0];
    expect(history).toContain("配信遅延");
    expect(history).toContain("昨日の障害");
    expect(/data-testid="incident" data-ongoing="no"[\s\S]*?昨日の障害/.test(history)).toBe(true);
    expect(history).not.toContain("新機能のお知らせ");
    expect(html).toMatch(/data-testid="signing-key"[^>]*>[\s\S]*?<code>[A-Za-z0-9_-]{43}<\/code>/);
  });
});
