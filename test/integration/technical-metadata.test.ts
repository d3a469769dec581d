import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import {
  extractTechnical,
  framesToTimecode,
  r2RangeSource,
  sniff,
  SNIFF_BYTES,
  type RangeSource,
  type Sniffed,
} from "~/.server/assets/technical";
import { checkJpeg } from "~/.server/assets/technical/image";

/**
 * Technical metadata of real media files (test/fixtures/media, made by
 * scripts/make-media-fixtures.sh or copied from real cameras), stored in the
 * real local R2 bucket and read back through ranged GETs. Expected values were
 * taken from ffprobe and exifr (see test/fixtures/media/SOURCES.md).
 */

const PREFIX = "test/technical/";

const MP3_EXPECTED = {
  container: "mp3",
  durationSeconds: 1.045, // ffprobe: duration=1.044898 (40 frames × 1152 / 44100, from the Xing header)
  audioCodec: "mp3",
  audioChannels: 2,
  audioSampleRate: 44100,
  bitRate: 131342, // ffprobe: format bit_rate
};

function fixture(name: string): Uint8Array {
  const b64 = env.TEST_MEDIA_FIXTURES[name];
  if (b64 === undefined) throw new Error(`missing fixture ${name}`);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

type Counted = RangeSource & { bytesRead: number; reads: Array<[number, number]> };

/** An R2-backed RangeSource that records what it read. */
async function stored(name: string): Promise<Counted> {
  const object = await env.ASSETS.head(PREFIX + name);
  if (!object) throw new Error(`not stored: ${name}`);
  const inner = r2RangeSource(env.ASSETS, object);
  const counted: Counted = {
    size: inner.size,
    bytesRead: 0,
    reads: [],
    async read(offset, length) {
      const bytes = await inner.read(offset, length);
      counted.bytesRead += bytes.byteLength;
      counted.reads.push([offset, bytes.byteLength]);
      return bytes;
    },
  };
  return counted;
}

async function sniffStored(name: string): Promise<{ source: Counted; sniffed: Sniffed }> {
  const source = await stored(name);
  const sniffed = await sniff(await source.read(0, SNIFF_BYTES));
  source.bytesRead = 0;
  source.reads = [];
  return { source, sniffed };
}

/** Top-level ISO BMFF boxes of an in-memory file, to check the fixture's layout. */
function topLevelBoxes(bytes: Uint8Array): Array<{ type: string; start: number; size: number }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes = [];
  for (let o = 0; o + 8 <= bytes.byteLength; ) {
    const size = view.getUint32(o);
    boxes.push({ type: String.fromCharCode(...bytes.subarray(o + 4, o + 8)), start: o, size });
    if (size < 8) break;
    o += size;
  }
  return boxes;
}

beforeAll(async () => {
  for (const name of Object.keys(env.TEST_MEDIA_FIXTURES)) {
    // The stored object carries a misleading client-claimed type on purpose.
    await env.ASSETS.put(PREFIX + name, fixture(name), { httpMetadata: { contentType: "text/plain" } });
  }
});

describe("sniff: the type comes from the bytes only", () => {
  const cases: Array<[string, Sniffed]> = [
    ["h264_1080p_2997_moov_end.mp4", { contentType: "video/mp4", kind: "video", container: "mp4" }],
    ["tmcd_df_01000000.mov", { contentType: "video/quicktime", kind: "video", container: "mov" }],
    ["wav_48k_stereo.wav", { contentType: "audio/wav", kind: "audio", container: "wav" }],
    ["jpg_gps_DSCN0010.jpg", { contentType: "image/jpeg", kind: "image", container: "jpeg" }],
    ["jpg_Canon_40D.jpg", { contentType: "image/jpeg", kind: "image", container: "jpeg" }],
    ["heic_iphone_13_pro_max_head4k.heic", { contentType: "image/heic", kind: "image", container: "heic" }],
    // Still an MP4 by its first bytes, although moov is missing.
    ["truncated_moov_missing.mp4", { contentType: "video/mp4", kind: "video", container: "mp4" }],
    ["unknown.bin", { contentType: "application/octet-stream", kind: "other", container: null }],
    ["mp3_44k_stereo_128k.mp3", { contentType: "audio/mpeg", kind: "audio", container: "mp3" }],
    ["flac_48k_mono.flac", { contentType: "audio/flac", kind: "audio", container: "flac" }],
    ["aac_44k_stereo.m4a", { contentType: "audio/x-m4a", kind: "audio", container: "m4a" }],
  ];
  for (const [name, expected] of cases) {
    it(name, async () => {
      const { sniffed } = await sniffStored(name);
      expect(sniffed).toEqual(expected);
    });
  }

  it("ignores names and claims: a WAV renamed and stored as text/plain is audio/wav", async () => {
    await env.ASSETS.put(PREFIX + "renamed.jpg", fixture("wav_48k_stereo.wav"), { httpMetadata: { contentType: "image/jpeg" } });
    const { sniffed } = await sniffStored("renamed.jpg");
    expect(sniffed).toEqual({ contentType: "audio/wav", kind: "audio", container: "wav" });
  });

  it("handles empty and tiny inputs", async () => {
    expect(await sniff(new Uint8Array(0))).toEqual({ contentType: "application/octet-stream", kind: "other", container: null });
    expect(await sniff(new Uint8Array([0xff, 0xd8]))).toEqual({ contentType: "application/octet-stream", kind: "other", container: null });
  });
});

describe("extractTechnical over R2 range reads", () => {
  it("MP4 with moov after mdat: exact stream values, and mdat is never read", async () => {
    const bytes = fixture("h264_1080p_2997_moov_end.mp4");
    const boxes = topLevelBoxes(bytes);
    expect(boxes.map((b) => b.type)).toEqual(["ftyp", "free", "mdat", "moov"]);
    const moov = boxes[3]!;
    const mdat = boxes[2]!;

    const { source, sniffed } = await sniffStored("h264_1080p_2997_moov_end.mp4");
    const { technical, problem } = await extractTechnical(source, sniffed);
    expect(problem).toBeNull();
    expect(technical).toEqual({
      container: "mp4",
      durationSeconds: 1.001, // ffprobe: format duration=1.001000
      width: 1920,
      height: 1080,
      frameRate: 29.97,
      videoCodec: "h264",
      audioCodec: "aac",
      audioChannels: 2,
      audioSampleRate: 48000,
      bitRate: Math.floor((bytes.byteLength * 8) / 1.001), // ffprobe: format bit_rate
    });
    expect(technical.bitRate).toBe(1048255);
    // ftyp + box headers + moov, and not one byte of mdat's payload.
    expect(source.bytesRead).toBeLessThanOrEqual(moov.size + 1024);
    expect(source.bytesRead).toBeLessThan(bytes.byteLength / 10);
    for (const [offset, length] of source.reads) {
      const overlapsPayload = offset < mdat.start + mdat.size && offset + length > mdat.start + 16;
      expect(overlapsPayload, `read ${offset}+${length} touches mdat payload`).toBe(false);
    }
  });

  it("QuickTime MOV: drop-frame start timecode from the tmcd track", async () => {
    const { source, sniffed } = await sniffStored("tmcd_df_01000000.mov");
    const { technical, problem } = await extractTechnical(source, sniffed);
    expect(problem).toBeNull();
    expect(technical).toEqual({
      container: "mov",
      durationSeconds: 1.001,
      width: 320,
      height: 240,
      frameRate: 29.97,
      videoCodec: "h264",
      bitRate: 156251, // ffprobe: format bit_rate
      startTimecode: "01:00:00;00",
    });
  });

  it("fast-start MP4 (moov before mdat): stops reading after moov", async () => {
    const { source, sniffed } = await sniffStored("h264_360p_25_faststart.mp4");
    const { technical, problem } = await extractTechnical(source, sniffed);
    expect(problem).toBeNull();
    expect(technical).toEqual({
      container: "mp4",
      durationSeconds: 2,
      width: 640,
      height: 360,
      frameRate: 25,
      videoCodec: "h264",
      audioCodec: "aac",
      audioChannels: 1,
      audioSampleRate: 44100,
      bitRate: 263628, // ffprobe: format bit_rate
    });
    expect(source.bytesRead).toBeLessThan(4096);
  });

  it("M4A (AAC in MP4): audio only", async () => {
    const { source, sniffed } = await sniffStored("aac_44k_stereo.m4a");
    const { technical, problem } = await extractTechnical(source, sniffed);
    expect(problem).toBeNull();
    expect(technical).toEqual({
      container: "m4a",
      durationSeconds: 1,
      audioCodec: "aac",
      audioChannels: 2,
      audioSampleRate: 44100,
      bitRate: 73112, // ffprobe: format bit_rate
    });
  });

  it("MP3 and FLAC through music-metadata", async () => {
    const mp3 = await sniffStored("mp3_44k_stereo_128k.mp3");
    expect(await extractTechnical(mp3.source, mp3.sniffed)).toEqual({
      technical: MP3_EXPECTED,
      problem: null,
    });
    const flac = await sniffStored("flac_48k_mono.flac");
    expect(await extractTechnical(flac.source, flac.sniffed)).toEqual({
      technical: {
        container: "flac",
        durationSeconds: 1,
        audioCodec: "flac",
        audioChannels: 1,
        audioSampleRate: 48000,
        bitRate: 171896, // ffprobe: format bit_rate
      },
      problem: null,
    });
  });

  it("WAV: PCM 16-bit, 48 kHz, stereo, 1 s, without reading the samples", async () => {
    const { source, sniffed } = await sniffStored("wav_48k_stereo.wav");
    const { technical, problem } = await extractTechnical(source, sniffed);
    expect(problem).toBeNull();
    expect(technical).toEqual({
      container: "wav",
      durationSeconds: 1, // ffprobe: duration=1.000000
      audioCodec: "pcm_s16le",
      audioChannels: 2,
      audioSampleRate: 48000,
      bitRate: 1536352, // ffprobe: format bit_rate (192044 bytes * 8 / 1 s)
    });
    expect(source.bytesRead).toBeLessThan(source.size / 2);
  });

  it("JPEG from a Nikon with GPS: make, model, date, position and size", async () => {
    const { source, sniffed } = await sniffStored("jpg_gps_DSCN0010.jpg");
    const { technical, problem } = await extractTechnical(source, sniffed);
    expect(problem).toBeNull();
    expect(technical.container).toBe("jpeg");
    expect(technical.width).toBe(640);
    expect(technical.height).toBe(480);
    expect(technical.exif?.make).toBe("NIKON");
    expect(technical.exif?.model).toBe("COOLPIX P6000");
    expect(technical.exif?.dateTimeOriginal).toBe("2008-10-22T16:28:39");
    // 43° 28' 2.814" N, 11° 53' 6.456" E; the file has no altitude.
    expect(technical.exif?.gps?.latitude).toBeCloseTo(43.467448, 5);
    expect(technical.exif?.gps?.longitude).toBeCloseTo(11.885127, 5);
    expect(technical.exif?.gps?.altitude).toBeUndefined();
  });

  it("JPEG from a Canon without GPS", async () => {
    const { source, sniffed } = await sniffStored("jpg_Canon_40D.jpg");
    const { technical, problem } = await extractTechnical(source, sniffed);
    expect(problem).toBeNull();
    expect(technical).toEqual({
      container: "jpeg",
      width: 100,
      height: 68,
      exif: { make: "Canon", model: "Canon EOS 40D", dateTimeOriginal: "2008-05-30T15:56:01" },
    });
  });

  it("corrupted JPEG: metadata still read, the damaged image data reported", async () => {
    const { source, sniffed } = await sniffStored("jpg_corrupted.jpg");
    const { technical, problem } = await extractTechnical(source, sniffed);
    // A 16 KiB run of 0xFF replaces part of the scan, ending in the invalid marker 0xFF9F.
    expect(problem).toBe("the JPEG image data is damaged at byte 212992 (invalid marker 0xFF9F)");
    expect(technical).toEqual({
      container: "jpeg",
      width: 3648,
      height: 2736,
      exif: { make: "OLYMPUS IMAGING CORP.", model: "u1020,S1020", dateTimeOriginal: "2015-09-08T11:02:17" },
    });
    expect(source.bytesRead).toBeLessThanOrEqual(256 * 1024);
  });

  it("truncated MP4 (moov missing): no throw, a problem, and only the box headers read", async () => {
    const { source, sniffed } = await sniffStored("truncated_moov_missing.mp4");
    const { technical, problem } = await extractTechnical(source, sniffed);
    expect(technical).toEqual({ container: "mp4" });
    expect(problem).toMatch(/^no 'moov' box \(movie header\) was found/);
    expect(source.bytesRead).toBeLessThan(200);
  });

  it("unknown bytes: nothing to read is not a failure", async () => {
    const { source, sniffed } = await sniffStored("unknown.bin");
    expect(await extractTechnical(source, sniffed)).toEqual({ technical: {}, problem: null });
    expect(source.bytesRead).toBe(0);
  });

  it("a read error (object deleted after sniffing) becomes a problem, not a throw", async () => {
    await env.ASSETS.put(PREFIX + "gone.mp4", fixture("h264_1080p_2997_moov_end.mp4"));
    const { source, sniffed } = await sniffStored("gone.mp4");
    await env.ASSETS.delete(PREFIX + "gone.mp4");
    const { technical, problem } = await extractTechnical(source, sniffed);
    expect(technical).toEqual({ container: "mp4" });
    expect(problem).toMatch(/missing/);
  });

  it("a changed object (etag mismatch) is not read as a mix of two files", async () => {
    await env.ASSETS.put(PREFIX + "changing.wav", fixture("wav_48k_stereo.wav"));
    const { source, sniffed } = await sniffStored("changing.wav");
    await env.ASSETS.put(PREFIX + "changing.wav", fixture("unknown.bin"));
    const { problem } = await extractTechnical(source, sniffed);
    expect(problem).toMatch(/changed/);
  });

  it("MP4 content cut inside moov: a truncation problem", async () => {
    const bytes = fixture("h264_1080p_2997_moov_end.mp4");
    await env.ASSETS.put(PREFIX + "cut-moov.mp4", bytes.subarray(0, bytes.byteLength - 100));
    const { source, sniffed } = await sniffStored("cut-moov.mp4");
    const { technical, problem } = await extractTechnical(source, sniffed);
    expect(technical).toEqual({ container: "mp4" });
    expect(problem).toMatch(/runs past the end of the file/);
  });

  it("garbage after a valid ftyp: a damaged-structure problem", async () => {
    const bytes = fixture("h264_1080p_2997_moov_end.mp4").slice(0, 4096);
    bytes.set(fixture("unknown.bin").subarray(0, 4096 - 32), 32);
    await env.ASSETS.put(PREFIX + "garbage.mp4", bytes);
    const { source, sniffed } = await sniffStored("garbage.mp4");
    const { technical, problem } = await extractTechnical(source, sniffed);
    expect(technical).toEqual({ container: "mp4" });
    expect(problem).toMatch(/invalid box header at offset 32|moov/);
  });
});

describe("drop-frame timecode arithmetic", () => {
  it("converts frame counts at 29.97 DF and NDF", () => {
    expect(framesToTimecode(107892, 30, true)).toBe("01:00:00;00");
    expect(framesToTimecode(0, 30, true)).toBe("00:00:00;00");
    expect(framesToTimecode(1799, 30, true)).toBe("00:00:59;29");
    expect(framesToTimecode(1800, 30, true)).toBe("00:01:00;02"); // ;00 and ;01 are skipped
    expect(framesToTimecode(17982, 30, true)).toBe("00:10:00;00"); // every tenth minute keeps them
    expect(framesToTimecode(108000, 30, false)).toBe("01:00:00:00");
    expect(framesToTimecode(215784, 60, true)).toBe("01:00:00;00"); // 59.94 DF drops 4
    expect(framesToTimecode(90000, 25, false)).toBe("01:00:00:00");
  });
});

describe("JPEG structure check", () => {
  it("accepts whole files and reports a missing end marker", () => {
    const good = fixture("jpg_Canon_40D.jpg");
    expect(checkJpeg(good, true)).toBeNull();
    expect(checkJpeg(good.subarray(0, good.byteLength - 100), true)).toMatch(/truncated/);
    expect(checkJpeg(good.subarray(0, good.byteLength - 100), false)).toBeNull();
    expect(checkJpeg(new Uint8Array([1, 2, 3, 4]), true)).toMatch(/start-of-image/);
  });
});
