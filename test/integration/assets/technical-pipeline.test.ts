/**
 * The technical readers wired into the product: every professional-media
 * fixture goes up through the public API (with a misleading claimed type),
 * the queue consumer reads the stored R2 object, and GET /assets/{id} reports
 * every field of test/support/media-expected.ts, the status, and the
 * problem as a stable code. The parsers alone are tested in Node
 * (test/unit/technical-metadata.test.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { MEDIA_EXPECTED } from "../../support/media-expected";
import { mediaFixture, uploadAsset, waitProcessed } from "../../support/assets";
import { buildWorld, type World } from "../../support/world";

let world: World;
let token: string;

beforeAll(async () => {
  world = await buildWorld("techpipe");
  token = world.users.member.token;
});

describe("upload → processing → API: technical fields of professional media", () => {
  for (const [name, expected] of Object.entries(MEDIA_EXPECTED)) {
    it(name, async () => {
      const created = await uploadAsset(token, world.p1, name, mediaFixture(name), { type: "text/plain" });
      const asset = await waitProcessed(token, created.id);
      expect(asset.technical).toEqual(expected.technical);
      expect(asset.status).toBe(expected.status);
      expect(asset.problemCode).toBe(expected.problemCode);
      // The API keeps an English sentence in `problem` for clients that read it.
      if (expected.problemCode) expect(asset.problem).toMatch(/\w/);
      else expect(asset.problem).toBeNull();
    });
  }
});
