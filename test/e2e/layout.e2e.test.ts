/**
 * Every screen holds the longest names the schemas allow, written without a
 * space (as file names and IDs are), in Japanese and English, on a 390 px
 * phone and a 1440 px desktop: the page never scrolls sideways, the audit
 * table keeps a readable action column, and the roles matrix keeps its Save
 * button on screen. The same screens, with the same data, have no serious or
 * critical axe-core finding in either language.
 */
import AxeBuilder from "@axe-core/playwright";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, strictContext } from "./browser";
import { kura, waitHydrated } from "./helpers";

const slug = `layout-${Date.now().toString(36)}`;
const adminEmail = `admin@${slug}.example`;
const password = "Fog rolls over the Kanmon strait 27";
/** An unbroken run of `length` characters starting with `prefix`. */
const unbroken = (prefix: string, char: string, length: number) => (prefix + char.repeat(length)).slice(0, length);

let browser: Browser;
let projectId = "";
let folderId = "";
let assetId = "";
let collectionId = "";

beforeAll(async () => {
  browser = await launch();
  const token = (await kura.createTenant({ slug, name: unbroken("長い社名", "社", 100), adminEmail, password })).admin.token;
  const me = await kura.api<{ id: string }>("/me", { token });
  // The admin's own name is the longest a person's name may be: it is in the header and in every audit row.
  expect((await kura.api(`/users/${me.body.id}`, { method: "PATCH", token, json: { name: unbroken("管理者", "管", 200) } })).status).toBe(200);
  expect((await kura.api("/users", { token, json: { email: `long@${slug}.example`, name: unbroken("Member", "M", 200), tenantRole: "user" } })).status).toBe(
    201,
  );
  expect((await kura.api("/roles", { token, json: { name: unbroken("Role", "R", 100), permissions: ["asset.view", "search.use"] } })).status).toBe(201);
  const project = await kura.api<{ id: string }>("/projects", { token, json: { name: unbroken("プロジェクト", "X", 200) } });
  expect(project.status).toBe(201);
  projectId = project.body.id;
  const folder = await kura.api<{ id: string }>(`/projects/${projectId}/folders`, { token, json: { name: unbroken("Folder", "F", 255) } });
  expect(folder.status).toBe(201);
  folderId = folder.body.id;
  const jpeg = await readFile(path.join(process.cwd(), "test/fixtures/media/jpg_Canon_40D.jpg"));
  for (const target of [null, folderId]) {
    const created = await kura.uploadAsset<{ id: string }>(token, projectId, `${unbroken("写真", "W", 251)}.jpg`, new Uint8Array(jpeg), {
      type: "image/jpeg",
      folderId: target ?? undefined,
    });
    assetId ||= created.id;
  }
  expect((await kura.api(`/projects/${projectId}/assets?q=${encodeURIComponent(unbroken("検索", "語", 60))}`, { token })).status).toBe(200);
  // Shares (issue #14): a collection with the longest name, shared with anyone, and the asset shared with the longest recipient address.
  const collection = await kura.api<{ id: string }>("/collections", { token, json: { projectId, name: unbroken("コレクション", "C", 200) } });
  expect(collection.status).toBe(201);
  collectionId = collection.body.id;
  expect((await kura.api(`/collections/${collectionId}/assets/${assetId}`, { method: "PUT", token })).status).toBe(200);
  const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
  expect((await kura.api("/shares", { token, json: { projectId, collectionId, scope: "preview", expiresAt } })).status).toBe(201);
  const recipient = `${unbroken("recipient", "r", 200)}@${unbroken("example", "e", 40)}.com`;
  expect(
    (
      await kura.api("/shares", {
        token,
        json: { projectId, assetIds: [assetId], scope: "preview_upload_download", recipients: [recipient], expiresAt, maxDownloads: 3 },
      })
    ).status,
  ).toBe(201);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

const screens = () => ({
  projects: "/projects",
  browse: `/projects/${projectId}`,
  folder: `/projects/${projectId}?folderId=${folderId}`,
  asset: `/projects/${projectId}/assets/${assetId}`,
  members: `/projects/${projectId}/members`,
  collection: `/projects/${projectId}/collections/${collectionId}`,
  shares: `/projects/${projectId}/shares`,
  adminShares: "/admin/shares",
  users: "/admin/users",
  groups: "/admin/groups",
  roles: "/admin/roles",
  adminProjects: "/admin/projects",
  security: "/admin/security",
  audit: "/admin/audit",
  account: "/account",
  tokens: "/account/tokens",
  metadataFields: "/admin/metadata-fields",
  status: "/status",
  notices: "/notices",
});

const SHARE_SCREENS = new Set(["collection", "shares", "adminShares"]);

async function signIn(page: Page) {
  await page.goto(`/login?tenant=${slug}`);
  await waitHydrated(page);
  await page.fill("#f-email", adminEmail);
  await page.fill("#f-password", password);
  await Promise.all([page.waitForURL(/\/projects/), page.click("form[data-testid=login-form] button[type=submit]")]);
}

/** Serious and critical axe-core findings on the page as it is now, one line each. */
async function axeFindings(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
    );
}

describe("accessibility (axe-core) with the longest names", () => {
  for (const locale of ["ja-JP", "en-US"] as const) {
    it(`no screen has a serious or critical finding (${locale})`, async () => {
      const { context, problems } = await strictContext(browser, { locale, viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      const findings: string[] = [];
      await page.goto(`/login?tenant=${slug}`);
      await waitHydrated(page);
      for (const f of await axeFindings(page)) findings.push(`login: ${f}`);
      await signIn(page);
      for (const [name, url] of Object.entries(screens())) {
        await page.goto(url);
        await waitHydrated(page);
        // The share forms and settings sit behind disclosures: open them, so they are checked too.
        if (SHARE_SCREENS.has(name)) await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
        for (const f of await axeFindings(page)) findings.push(`${name}: ${f}`);
      }
      expect(findings).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    }, 180_000);
  }
});

describe("layout with the longest names", () => {
  for (const [locale, lang] of [
    ["ja-JP", "ja"],
    ["en-US", "en"],
  ] as const) {
    for (const width of [390, 1440]) {
      it(`no screen scrolls sideways (${lang}, ${width} px)`, async () => {
        const { context, problems } = await strictContext(browser, { locale, viewport: { width, height: 900 } });
        const page = await context.newPage();
        await signIn(page);
        const overflowing: string[] = [];
        for (const [name, url] of Object.entries(screens())) {
          await page.goto(url);
          const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
          if (scrollWidth > innerWidth) overflowing.push(`${name}: ${scrollWidth} px wide`);
          if (name === "audit") {
            // The action column stays readable next to a 200-character name.
            const action = await page.locator("table thead th").nth(3).boundingBox();
            expect(action?.width ?? 0, "audit action column").toBeGreaterThanOrEqual(80);
          }
          if (name === "roles" && width === 1440) {
            // A custom role's Save button is on screen, not clipped by the matrix.
            const save = await page.locator("[data-testid=role-row] button[type=submit]").first().boundingBox();
            expect(save, "Save button").not.toBeNull();
            expect(save!.x + save!.width).toBeLessThanOrEqual(width);
          }
        }
        expect(overflowing).toEqual([]);
        expect(problems).toEqual([]);
        await context.close();
      }, 120_000);
    }
  }
});
