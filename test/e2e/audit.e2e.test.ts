import { readFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, strictContext } from "./browser";
import { kura, OPERATOR_TOKEN, waitHydrated } from "./helpers";

const slug = `audit-${Date.now().toString(36)}`;
const adminEmail = `admin@${slug}.example`;
const editorEmail = `kenji@${slug}.example`;
const password = "Lanterns drift along the Kamo river 31";

let browser: Browser;
let editorId = "";

beforeAll(async () => {
  browser = await launch();
  // A tenant with an admin and an editor, built through the public API.
  const created = await kura.api("/operator/tenants", { token: OPERATOR_TOKEN, json: { slug, name: "監査テスト株式会社", adminEmail } });
  expect(created.status).toBe(201);
  expect((await kura.api("/auth/setup", { json: { token: created.body.adminSetupToken, password } })).status).toBe(200);
  const adminToken = (await kura.api("/auth/login", { json: { tenant: slug, email: adminEmail, password } })).body.token as string;
  const invited = await kura.api("/users", { token: adminToken, json: { email: editorEmail, name: "編集 健二", tenantRole: "user" } });
  expect(invited.status).toBe(201);
  editorId = (invited.body.user as { id: string }).id;
  expect((await kura.api("/auth/setup", { json: { token: invited.body.setupToken, password } })).status).toBe(200);
  // The editor signs in twice and mistypes once; the admin signs in too.
  for (const pw of [password, "not-my-password-0", password]) await kura.api("/auth/login", { json: { tenant: slug, email: editorEmail, password: pw } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe("audit log screen", () => {
  it("an admin filters the log to one user's sign-ins and downloads them as CSV", async () => {
    const { context, problems } = await strictContext(browser, { locale: "ja-JP", acceptDownloads: true });
    const page = await context.newPage();
    await page.goto("/login");
    await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
    await page.fill("input[name=tenant]", slug);
    await page.fill("input[name=email]", adminEmail);
    await page.fill("input[name=password]", password);
    await Promise.all([page.waitForURL("**/projects"), page.getByTestId("login-form").locator("button[type=submit]").click()]);

    await page.goto("/admin/audit");
    expect(await page.locator("h1").textContent()).toBe("監査ログ");
    const everything = await page.getByTestId("audit-row").count();
    expect(everything).toBeGreaterThan(5);

    await waitHydrated(page);
    await page.selectOption("select[name=action]", "auth.login");
    await page.selectOption("select[name=actorId]", editorId);
    await Promise.all([page.waitForURL(/actorId=/), page.getByTestId("audit-filters").locator("button[type=submit]").click()]);
    // Only the filters that were set are in the address (no empty from= / to=).
    expect([...new URL(page.url()).searchParams.keys()].sort()).toEqual(["action", "actorId"]);
    const rows = page.getByTestId("audit-row");
    await expect.poll(() => rows.count()).toBe(2);
    for (const row of await rows.all()) {
      expect(await row.getAttribute("data-action")).toBe("auth.login");
      expect(await row.getAttribute("data-actor")).toBe(editorId);
      expect(await row.textContent()).toContain("ログイン");
    }
    // The failed attempt is not among them, but is on record.
    expect(await page.locator('[data-action="auth.login_failed"]').count()).toBe(0);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^audit-${slug}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const bytes = await readFile((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString("utf8").split("\r\n").filter(Boolean);
    expect(lines[0]!.startsWith("seq,at,actor_type,actor_id,actor_email,action")).toBe(true);
    expect(lines).toHaveLength(3);
    for (const line of lines.slice(1)) {
      expect(line).toContain(`"${editorId}"`);
      expect(line).toContain('"auth.login"');
      expect(line).toContain(`"${editorEmail}"`);
    }

    // The mistyped password is on record as a failure, with the same user.
    await page.goto(`/admin/audit?action=auth.login_failed&actorId=${editorId}`);
    const failed = page.getByTestId("audit-row");
    await expect.poll(() => failed.count()).toBe(1);
    expect(await failed.first().textContent()).toContain("ログイン失敗");

    await page.getByTestId("verify").click();
    expect(await page.getByTestId("verify-result").textContent()).toContain("検証済み");
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);
});
