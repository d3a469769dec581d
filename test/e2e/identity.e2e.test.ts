import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, launch, strictContext } from "./browser";
import { kura, totpCode } from "./helpers";

const run = Date.now().toString(36);
const slug = `e2e-${run}`;
const adminEmail = `admin@${slug}.example`;
const adminPassword = "Amber lantern over the quiet harbour 42";
const reviewerEmail = `rita@${slug}.example`;
const reviewerPassword = "Seven paper cranes fold at midnight 17";

/** The newest setup link e-mailed to `to`, as a path on this server. */
async function setupLinkFromOutbox(to: string): Promise<string> {
  const { status, body } = await kura.api(`/operator/outbox?to=${encodeURIComponent(to)}`, { token: kura.operatorToken });
  expect(status).toBe(200);
  const items = body.items as { to: string; subject: string; text: string }[];
  const mail = items.find((m) => m.to === to && m.text.includes("/setup?token="));
  expect(mail, `no setup e-mail for ${to}`).toBeDefined();
  const link = /https?:\/\/\S+\/setup\?token=\S+/.exec(mail!.text)?.[0];
  expect(link).toBeDefined();
  const url = new URL(link!);
  return url.pathname + url.search;
}

async function hydrated(page: Page) {
  await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
}

async function setPassword(page: Page, link: string, email: string, password: string) {
  await page.goto(link);
  await hydrated(page);
  expect(await page.getByTestId("setup-for").textContent()).toContain(email);
  await page.fill("#f-password", password);
  await page.fill("#f-confirmPassword", password);
  await Promise.all([page.waitForURL(/\/login\?tenant=/), page.click("form[data-testid=set-password-form] button[type=submit]")]);
  await page.getByTestId("login-notice").waitFor();
}

async function signIn(page: Page, email: string, password: string) {
  await hydrated(page);
  expect(await page.inputValue("#f-tenant")).toBe(slug);
  await page.fill("#f-email", email);
  await page.fill("#f-password", password);
  await page.click("form[data-testid=login-form] button[type=submit]");
}

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("identity and tenant administration in Chromium", () => {
  let projectId = "";

  it("an admin sets up the tenant, enrols 2FA, and grants a custom role on a project", { timeout: 180_000 }, async () => {
    const created = await kura.api("/operator/tenants", { token: kura.operatorToken, json: { slug, name: `E2E Films ${run}`, adminEmail } });
    expect(created.status).toBe(201);

    const { context, problems } = await strictContext(browser, { locale: "en-US" });
    const page = await context.newPage();

    // First password from the e-mailed link, then sign in.
    await setPassword(page, await setupLinkFromOutbox(adminEmail), adminEmail, adminPassword);
    expect(await page.getByTestId("login-notice").textContent()).toBe("Your password is set. Sign in to continue.");
    await signIn(page, adminEmail, "not the password at all");
    await page.getByTestId("form-error").waitFor();
    expect(await page.getByTestId("form-error").getAttribute("data-code")).toBe("invalid_credentials");
    expect(await page.inputValue("#f-email")).toBe(adminEmail); // kept
    expect(await page.inputValue("#f-password")).toBe(""); // never echoed
    await signIn(page, adminEmail, adminPassword);
    await page.waitForURL(`${BASE_URL}/projects`);
    await expect.poll(() => page.getByTestId("nav-tenant").textContent()).toContain(slug);
    expect(await page.getByTestId("nav-user").textContent()).toContain(adminEmail);
    expect(await page.getByTestId("nav-admin").isVisible()).toBe(true);
    expect(await page.getByTestId("projects-empty").isVisible()).toBe(true);

    // Enrol TOTP with a code computed from the secret shown on the page.
    await page.goto("/account/two-factor");
    await hydrated(page);
    expect(await page.getByTestId("totp-state").getAttribute("data-state")).toBe("off");
    await page.getByTestId("totp-start").click();
    const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}=*$/);
    expect(await page.locator(".qr svg").count()).toBe(1);
    const used = new Set<number>();
    await page.fill("#f-code", await totpCode(secret, used));
    await page.click("form:has(#f-code) button[type=submit]");
    await page.getByTestId("recovery-codes").waitFor();
    expect(await page.locator("[data-testid=recovery-codes] li").count()).toBe(10);
    expect(await page.getByTestId("totp-enabled").textContent()).toBe("Two-factor authentication is now on.");

    // Sign out: protected pages send us back to the sign-in form.
    await Promise.all([page.waitForURL(/\/login\?notice=logout/), page.getByTestId("logout").click()]);
    await page.goto("/projects");
    expect(page.url()).toBe(`${BASE_URL}/login?redirectTo=%2Fprojects`);

    // Sign in again: password, then a fresh TOTP code (a wrong one is refused first).
    await page.fill("#f-tenant", slug);
    await signIn(page, adminEmail, adminPassword);
    await page.getByTestId("login-code-form").waitFor();
    await page.fill("#f-code", "000000");
    await page.click("form[data-testid=login-code-form] button[type=submit]");
    await expect.poll(() => page.getByTestId("form-error").getAttribute("data-code")).toBe("invalid_otp");
    await page.fill("#f-code", await totpCode(secret, used));
    await Promise.all([page.waitForURL(`${BASE_URL}/projects`), page.click("form[data-testid=login-code-form] button[type=submit]")]);
    expect(await page.getByTestId("nav-user").textContent()).toContain(adminEmail);

    // Invite a user.
    await page.goto("/admin/users");
    await hydrated(page);
    await page.fill("#f-email", reviewerEmail);
    await page.fill("#f-name", "Rita Reviewer");
    await page.selectOption("#invite-role", "user");
    await page.click("form[data-testid=invite-form] button[type=submit]");
    await page.getByTestId("invite-sent").waitFor();
    const row = page.locator(`tr[data-email="${reviewerEmail}"]`);
    await row.waitFor();
    expect(await row.getByTestId("user-status").getAttribute("data-status")).toBe("invited");
    // The last admin cannot be disabled: the 409 is explained on the row.
    const adminRow = page.locator(`tr[data-email="${adminEmail}"]`);
    await adminRow.locator("button", { hasText: "Disable" }).click();
    await expect.poll(() => adminRow.getByTestId("form-error").textContent()).toContain("last tenant administrator");

    // A custom role "Reviewer".
    await page.goto("/admin/roles");
    await hydrated(page);
    await page.fill("#f-name", "Reviewer");
    for (const cap of ["asset.view", "marker.edit", "asset.download_proxy"]) {
      await page.check(`form[data-testid=role-create-form] input[data-capability="${cap}"]`);
    }
    await page.click("form[data-testid=role-create-form] button[type=submit]");
    await page.getByTestId("role-created").waitFor();
    const roleRow = page.locator('tr[data-role="Reviewer"]');
    await roleRow.waitFor();
    const checked = await roleRow
      .locator("input[type=checkbox][data-capability]")
      .evaluateAll((els) => els.filter((e) => (e as HTMLInputElement).checked).map((e) => e.getAttribute("data-capability")));
    expect(checked.sort()).toEqual(["asset.download_proxy", "asset.view", "marker.edit"]);

    // A project, and the role granted to the user on it.
    await page.goto("/admin/projects");
    await hydrated(page);
    await page.fill("#f-name", "Launch Trailer");
    await page.click("form[data-testid=project-create-form] button[type=submit]");
    await page.getByTestId("project-created").waitFor();
    await page.locator("[data-testid=project-created] a").click();
    await page.waitForURL(/\/projects\/[^/]+\/members$/);
    projectId = decodeURIComponent(new URL(page.url()).pathname.split("/")[2]!);
    await hydrated(page);
    // The link navigates client-side: the URL can change a moment before the new screen renders,
    // so wait for the empty list rather than sampling it once (a loaded CI machine lost that race).
    await page.getByTestId("members-empty").waitFor({ state: "visible" });
    await page.selectOption("#grant-user-principal", { label: `Rita Reviewer <${reviewerEmail}>` });
    await page.selectOption("#grant-user-role", { label: "Reviewer" });
    await page.click("form[data-testid=grant-user-form] button[type=submit]");
    const member = page.locator(`tr[data-principal="${reviewerEmail}"]`);
    await member.waitFor();
    expect(await member.locator("select[name=role] option:checked").textContent()).toBe("Reviewer");

    expect(problems).toEqual([]);
    await context.close();
  });

  it("the invited user signs in (in Japanese) and sees only what the role allows", { timeout: 120_000 }, async () => {
    expect(projectId).not.toBe("");
    const { context, problems } = await strictContext(browser, { locale: "ja-JP" });
    const page = await context.newPage();
    await setPassword(page, await setupLinkFromOutbox(reviewerEmail), reviewerEmail, reviewerPassword);
    expect(await page.getAttribute("html", "lang")).toBe("ja");
    expect(await page.getByTestId("login-notice").textContent()).toBe("パスワードを設定しました。ログインしてください。");
    await signIn(page, reviewerEmail, reviewerPassword);
    await page.waitForURL(`${BASE_URL}/projects`);
    await expect.poll(() => page.locator("h1").textContent()).toBe("プロジェクト");
    expect(await page.getByTestId("nav-user").textContent()).toContain("Rita Reviewer");
    expect(await page.getByTestId("nav-admin").count()).toBe(0);

    const item = page.locator('[data-testid=project-item][data-name="Launch Trailer"]');
    expect(await page.getByTestId("project-item").count()).toBe(1);
    await hydrated(page);
    await Promise.all([page.waitForURL(`${BASE_URL}/projects/${projectId}`), item.locator("a").click()]);
    await expect.poll(() => page.getByTestId("project-name").textContent()).toBe("Launch Trailer");

    // Actions for the role's capabilities only.
    for (const cap of ["marker.edit", "asset.download_proxy"]) {
      expect(await page.getByTestId(`cap-${cap}`).isVisible(), cap).toBe(true);
    }
    expect(await page.getByTestId("cap-marker.edit").textContent()).toBe("レビューマーカー");
    for (const cap of ["asset.upload", "search.use", "project.manage_members", "asset.delete", "share.create", "asset.download_original"]) {
      expect(await page.getByTestId(`cap-${cap}`).count(), cap).toBe(0);
    }
    const held = await page.locator("[data-testid=capabilities] li[data-held=yes]").evaluateAll((els) => els.map((e) => e.getAttribute("data-capability")));
    expect(held.sort()).toEqual(["asset.download_proxy", "asset.view", "marker.edit"]);
    expect(await page.getByTestId("assets-empty").textContent()).toBe("このプロジェクトにはまだアセットがありません。");

    // Neither the members screen nor the admin area opens for this user.
    const members = await context.request.get(`/projects/${projectId}/members`, { maxRedirects: 0 });
    expect(members.status()).toBe(403);
    const admin = await context.request.get("/admin/users", { maxRedirects: 0 });
    expect(admin.status()).toBe(403);

    expect(problems).toEqual([]);
    await context.close();
  });
});
