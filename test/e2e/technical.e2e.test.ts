import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "./browser";
import { kura, signedInContext, waitHydrated } from "./helpers";

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
  const created = await kura.uploadAsset<Asset>(token, projectId, name, new Uint8Array(readFileSync(path.join(FIXTURES, name))));
  return kura.waitProcessed<Asset>(token, created.id, 30_000);
}

const signedIn = (locale: "ja-JP" | "en-GB") => signedInContext(browser, { slug, email: adminEmail, password, locale, width: 1280, timezoneId: "UTC" });

const fact = async (page: Page, key: string) => (await page.locator(`[data-testid=technical] [data-field="${key}"] dd`).textContent())?.trim();

beforeAll(async () => {
  browser = await launch();
  token = (await kura.createTenant({ slug, name: `技術 ${run}`, adminEmail, password })).admin.token;
  const project = await kura.api<{ id: string }>("/projects", { json: { name: `技術メタデータ ${run}` }, token });
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

    // Field → text shown, per language and asset.
    const expected: Record<"ja-JP" | "en-GB", Array<[string, Record<string, string>]>> = {
      "ja-JP": [
        [
          heic.id,
          {
            "asset.resolution": "3024×4032",
            "asset.shotAt": "2022年2月16日 12:55:41 (UTC+01:00)",
            "asset.iso": "ISO 250",
            "asset.aperture": "f/1.5",
            "asset.shutter": "1/60 s",
            "asset.focalLength": "5.7 mm (35 mm 換算 26 mm)",
            "asset.lens": "Apple iPhone 13 Pro Max back triple camera 5.7mm f/1.5",
          },
        ],
        [
          prores.id,
          {
            "asset.videoCodec": "Apple ProRes 422 HQ (prores)",
            "asset.videoBitDepth": "10 ビット",
            "asset.audioCodec": "pcm_s24le",
            "asset.audioBitDepth": "24 ビット",
            "asset.timecode": "10:00:00:00",
          },
        ],
      ],
      "en-GB": [
        [
          heic.id,
          { "asset.resolution": "3024×4032", "asset.shotAt": "16 February 2022 at 12:55:41 (UTC+01:00)", "asset.focalLength": "5.7 mm (26 mm in 35 mm terms)" },
        ],
        [prores.id, { "asset.videoBitDepth": "10-bit", "asset.audioBitDepth": "24-bit" }],
      ],
    };
    for (const [locale, assets] of Object.entries(expected) as Array<[keyof typeof expected, (typeof expected)["ja-JP"]]>) {
      const { context, page, problems } = await signedIn(locale);
      for (const [assetId, facts] of assets) {
        await page.goto(`/projects/${projectId}/assets/${assetId}`);
        await waitHydrated(page);
        const shown: Record<string, string | undefined> = {};
        for (const key of Object.keys(facts)) shown[key] = await fact(page, key);
        expect(shown, `${locale} ${assetId}`).toEqual(facts);
      }
      expect(await page.locator("#tech-heading").textContent()).toBe(locale === "ja-JP" ? "技術メタデータ" : "Technical metadata");
      expect(problems).toEqual([]);
      await context.close();
    }
  });
});
