/**
 * What a project's members see of each other (issue #10, defect 11): the asset
 * page named its uploader by e-mail address to anyone with asset.view,
 * because it read the uploader with the admin-level user read. Colleagues see
 * a display name only; e-mail addresses are for tenant admins.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { uploadAsset } from "../../support/assets";
import { browserSignIn, call } from "../../support/http";
import { buildWorld, expectJson, PASSWORD, type World } from "../../support/world";

let w: World;
let assetId: string;
beforeAll(async () => {
  w = await buildWorld("privacy");
  assetId = (await uploadAsset(w.users.member.token, w.p1, "interview.wav", "RIFF....WAVEfmt ")).id;
});

async function assetPage(who: "viewer" | "member" | "custom"): Promise<string> {
  const a = w.users[who];
  const cookie = await browserSignIn({ tenant: a.tenantSlug, email: a.email, password: PASSWORD });
  const res = await call(`/projects/${w.p1}/assets/${assetId}`, { headers: { Cookie: cookie, "Accept-Language": "en" } });
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBe(200);
  return text;
}

describe("the uploader on the asset page", () => {
  it("is never shown by e-mail address to a viewer or a custom role", async () => {
    for (const who of ["viewer", "custom"] as const) {
      const html = await assetPage(who);
      expect(html).not.toContain(w.users.member.email);
      expect(html).toContain("a user without a display name");
    }
  });

  it("is shown by display name once the uploader has one, and as 'you' to the uploader", async () => {
    await expectJson(call("/api/v1/me", { method: "PATCH", token: w.users.member.token, json: { name: "Aoi Tanaka" } }), 200);
    const html = await assetPage("viewer");
    expect(html).toContain("Aoi Tanaka");
    expect(html).not.toContain(w.users.member.email);
    expect(await assetPage("member")).toContain("Aoi Tanaka (you)");
  });
});
