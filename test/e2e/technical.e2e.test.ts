import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, launch, strictContext } from "./browser";
import { apiCall, createTenantWithAdmin, waitHydrated } from "./helpers";

/**
 * The technical table of professional media in Chromium: a portrait iPhone
 * HEIC shows portrait dimensions and its camera facts, a ProRes MOV its
 * profile, bit depths and timecode; in Japanese and in English.
 */

const FIXTURES = path.resolve(__dirname, "../fixtures/media");
const run = Date.now().toString(36);
const slug = `tech-${run}`;
const adminEmail = `admin@${slug}.example`;
const password = "Tape decks hum in the Kanda archive 77";

type Asset = { id: string; status: string };

let browser: Browser;
let token = "";
let projectId = "";

async function upload(name: string): Promise<Asset> {
  const form = new FormData();
  form.set("file", new File([readFileSync(path.join(FIXTURES, name))], name, { type: "application/octet-stream" }));
  const res = await fetch(`${BASE_URL}/api/v1/projects/${projectId}/assets`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: form });
  expect(res.status).toBe(201);
  const created = (await res.json()) as Asset;
  for (let i = 0; i < 150; i++) {
    const asset = await apiCall<Asset>(`/assets/${created.id}`, { token });
    if (asset.body.status !== "processing") return asset.body;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} still processing`);
}

async function signedIn(locale: "ja-JP" | "en-GB") {
  const { context, problems } = await strictContext(browser, { locale, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`/login?tenant=${slug}`);
  await waitHydrated(page);
  await page.fill("#f-email", adminEmail);
  await page.fill("#f-password", password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.click("form[data-testid=login-form] button[type=submit]")]);
  return { context, page, problems };
}

const fact = async (page: Page, key: string) => (await page.locator(`[data-testid=technical] [data-field="${key}"] dd`).textContent())?.trim();

beforeAll(async () => {
  browser = await launch();
  token = await createTenantWithAdmin({ slug, name: `技術 ${run}`, adminEmail, password });
  const project = await apiCall<{ id: string }>("/projects", { json: { name: `技術メタデータ ${run}` }, token });
  expect(project.status).toBe(201);
  projectId = project.body.id;
});

afterAll(async () => {
  await browser?.close();
});

describe("technical metadata in the browser", () => {
  it("portrait HEIC and ProRes MOV, in Japanese and English", { timeout: 120_000 }, async () => {
    const heic = await upload("heic_iphone_13_pro_max_head256k.heic");
    const prores = await upload("prores_hq_pcm24_tc.mov");
    expect([heic.status, prores.status]).toEqual(["ready", "ready"]);

    const ja = await signedIn("ja-JP");
    await ja.page.goto(`/projects/${projectId}/assets/${heic.id}`);
    await waitHydrated(ja.page);
    expect(await fact(ja.page, "asset.resolution")).toBe("3024×4032");
    expect(await fact(ja.page, "asset.shotAt")).toBe("2022年2月16日 12:55:41 (UTC+01:00)");
    expect(await fact(ja.page, "asset.iso")).toBe("ISO 250");
    expect(await fact(ja.page, "asset.aperture")).toBe("f/1.5");
    expect(await fact(ja.page, "asset.shutter")).toBe("1/60 s");
    expect(await fact(ja.page, "asset.focalLength")).toBe("5.7 mm (35 mm 換算 26 mm)");
    expect(await fact(ja.page, "asset.lens")).toBe("iPhone 13 Pro Max back triple camera 5.7mm f/1.5");
    expect(await ja.page.locator("[data-testid=technical] [data-field='asset.shotAt'] dt").textContent()).toBe("撮影日時");

    await ja.page.goto(`/projects/${projectId}/assets/${prores.id}`);
    await waitHydrated(ja.page);
    expect(await fact(ja.page, "asset.videoCodec")).toBe("Apple ProRes 422 HQ (prores)");
    expect(await fact(ja.page, "asset.videoBitDepth")).toBe("10 ビット");
    expect(await fact(ja.page, "asset.audioCodec")).toBe("pcm_s24le");
    expect(await fact(ja.page, "asset.audioBitDepth")).toBe("24 ビット");
    expect(await fact(ja.page, "asset.timecode")).toBe("10:00:00:00");
    expect(ja.problems).toEqual([]);
    await ja.context.close();

    const en = await signedIn("en-GB");
    await en.page.goto(`/projects/${projectId}/assets/${heic.id}`);
    await waitHydrated(en.page);
    expect(await fact(en.page, "asset.resolution")).toBe("3024×4032");
    expect(await fact(en.page, "asset.shotAt")).toBe("16 February 2022 at 12:55:41 (UTC+01:00)");
    expect(await fact(en.page, "asset.focalLength")).toBe("5.7 mm (26 mm in 35 mm terms)");
    await en.page.goto(`/projects/${projectId}/assets/${prores.id}`);
    await waitHydrated(en.page);
    expect(await fact(en.page, "asset.videoBitDepth")).toBe("10-bit");
    expect(en.problems).toEqual([]);
    await en.context.close();
  });
});
