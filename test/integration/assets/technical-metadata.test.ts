import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { extractTechnical, r2RangeSource, sniff, SNIFF_BYTES, type Sniffed } from "~/.server/assets/technical";
import { mediaFixture } from "../../support/assets";
import { MEDIA_EXPECTED } from "../../support/media-expected";
import { recording, topLevelBoxes, type Counted } from "../../support/media-inspect";

/**
 * The technical readers over the real local R2 binding: ranged GETs pinned to
 * the object's etag, and what a missing or changed object does. The parsers
 * themselves (every fixture, every field) are tested in Node:
 * test/unit/technical-metadata.test.ts; the whole upload → processing → API
 * path in technical-pipeline.test.ts.
 */

const PREFIX = "test/technical/";

/** An R2-backed RangeSource that records what it read. */
async function stored(name: string): Promise<Counted> {
  const object = await env.ASSETS.head(PREFIX + name);
  if (!object) throw new Error(`not stored: ${name}`);
  return recording(r2RangeSource(env.ASSETS, object));
}

async function sniffStored(name: string): Promise<{ source: Counted; sniffed: Sniffed }> {
  const source = await stored(name);
  const sniffed = await sniff(await source.read(0, SNIFF_BYTES));
  source.bytesRead = 0;
  source.reads = [];
  return { source, sniffed };
}

beforeAll(async () => {
  for (const name of Object.keys(env.TEST_MEDIA_FIXTURES)) {
    // The stored object carries a misleading client-claimed type on purpose.
    await env.ASSETS.put(PREFIX + name, mediaFixture(name), { httpMetadata: { contentType: "text/plain" } });
  }
});

describe("extractTechnical over R2 range reads", () => {
  it("ignores names and claims: a WAV renamed and stored as text/plain is audio/wav", async () => {
    await env.ASSETS.put(PREFIX + "renamed.jpg", mediaFixture("wav_48k_stereo.wav"), { httpMetadata: { contentType: "image/jpeg" } });
    const { sniffed } = await sniffStored("renamed.jpg");
    expect(sniffed).toEqual({ contentType: "audio/wav", kind: "audio", container: "wav" });
  });

  it("MP4 with moov after mdat: exact stream values, and mdat is never read", async () => {
    const bytes = mediaFixture("h264_1080p_2997_moov_end.mp4");
    const boxes = topLevelBoxes(bytes);
    expect(boxes.map((b) => b.type)).toEqual(["ftyp", "free", "mdat", "moov"]);
    const moov = boxes[3]!;
    const mdat = boxes[2]!;

    const { source, sniffed } = await sniffStored("h264_1080p_2997_moov_end.mp4");
    const { technical, problem } = await extractTechnical(source, sniffed);
    expect(problem).toBeNull();
    expect(technical).toEqual(MEDIA_EXPECTED["h264_1080p_2997_moov_end.mp4"]!.technical);
    expect(technical.bitRate).toBe(1048255);
    // ftyp + box headers + moov, and not one byte of mdat's payload.
    expect(source.bytesRead).toBeLessThanOrEqual(moov.size + 1024);
    expect(source.bytesRead).toBeLessThan(bytes.byteLength / 10);
    for (const [offset, length] of source.reads) {
      const overlapsPayload = offset < mdat.start + mdat.size && offset + length > mdat.start + 16;
      expect(overlapsPayload, `read ${offset}+${length} touches mdat payload`).toBe(false);
    }
  });

  it("a read error (object deleted after sniffing) becomes a problem, not a throw", async () => {
    await env.ASSETS.put(PREFIX + "gone.mp4", mediaFixture("h264_1080p_2997_moov_end.mp4"));
    const { source, sniffed } = await sniffStored("gone.mp4");
    await env.ASSETS.delete(PREFIX + "gone.mp4");
    const { technical, problem } = await extractTechnical(source, sniffed);
    expect(technical).toEqual({ container: "mp4" });
    expect(problem).toEqual({ code: "read_failed", detail: "the stored object is missing" });
  });

  it("a changed object (etag mismatch) is not read as a mix of two files", async () => {
    await env.ASSETS.put(PREFIX + "changing.wav", mediaFixture("wav_48k_stereo.wav"));
    const { source, sniffed } = await sniffStored("changing.wav");
    await env.ASSETS.put(PREFIX + "changing.wav", mediaFixture("unknown.bin"));
    const { problem } = await extractTechnical(source, sniffed);
    expect(problem).toEqual({ code: "read_failed", detail: "the stored object changed while it was being read" });
  });
});
