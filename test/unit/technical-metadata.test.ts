import { describe, expect, it } from "vitest";
import { bytesRangeSource, extractTechnical, framesToTimecode, sniff, type Sniffed } from "~/.server/assets/technical";
import { checkJpeg } from "~/.server/assets/technical/image";
import { problemFromMediaName } from "~/.server/assets/technical/media-names";
import { pcmCodec } from "~/.server/assets/technical/codecs";
import { operationalPattern } from "~/.server/assets/technical/mxf";
import { readSoundEntry } from "~/.server/assets/technical/sample-entries";
import { secondsToTimecode } from "~/.server/assets/technical/timecode";
import { MEDIA_EXPECTED } from "../support/media-expected";
import { fixture, sniffFixture } from "./media-fixtures";

/**
 * Technical metadata of real media files (test/fixtures/media, made by
 * scripts/make-media-fixtures.sh or copied from real cameras), read through
 * an in-memory RangeSource that records every read. Expected values were
 * taken from ffprobe and exifr (see test/fixtures/media/SOURCES.md). The
 * same parsers over real R2 reads and the whole upload → processing → API
 * path are proven in test/integration/assets/technical-*.test.ts.
 */

async function read(name: string) {
  const { source, sniffed, bytes } = await sniffFixture(name);
  return { ...(await extractTechnical(source, sniffed)), source, bytes };
}

describe("sniff: the type comes from the bytes only", () => {
  const cases: Array<[string, Sniffed]> = [
    ["h264_1080p_2997_moov_end.mp4", { contentType: "video/mp4", kind: "video", container: "mp4" }],
    ["tmcd_df_01000000.mov", { contentType: "video/quicktime", kind: "video", container: "mov" }],
    ["prores_proxy_pcm24_tc.mov", { contentType: "video/quicktime", kind: "video", container: "mov" }],
    ["dnxhd36_1080p_2398_tc.mov", { contentType: "video/quicktime", kind: "video", container: "mov" }],
    ["xdcam422_1080p25_tc.mxf", { contentType: "application/mxf", kind: "video", container: "mxf" }],
    ["avcintra50_1080p25.mxf", { contentType: "application/mxf", kind: "video", container: "mxf" }],
    ["wav_48k_stereo.wav", { contentType: "audio/wav", kind: "audio", container: "wav" }],
    ["wav_24bit_extensible.wav", { contentType: "audio/wav", kind: "audio", container: "wav" }],
    ["bwf_timeref_01000115.wav", { contentType: "audio/wav", kind: "audio", container: "wav" }],
    ["jpg_gps_DSCN0010.jpg", { contentType: "image/jpeg", kind: "image", container: "jpeg" }],
    ["jpg_Canon_40D.jpg", { contentType: "image/jpeg", kind: "image", container: "jpeg" }],
    ["jpg_invalid_image01137.jpg", { contentType: "image/jpeg", kind: "image", container: "jpeg" }],
    ["heic_iphone_13_pro_max_head256k.heic", { contentType: "image/heic", kind: "image", container: "heic" }],
    // Still an MP4 by its first bytes, although moov is missing.
    ["truncated_moov_missing.mp4", { contentType: "video/mp4", kind: "video", container: "mp4" }],
    ["unknown.bin", { contentType: "application/octet-stream", kind: "other", container: null }],
    ["random_bytes.mov", { contentType: "application/octet-stream", kind: "other", container: null }],
    ["mp3_44k_stereo_128k.mp3", { contentType: "audio/mpeg", kind: "audio", container: "mp3" }],
    ["flac_48k_mono.flac", { contentType: "audio/flac", kind: "audio", container: "flac" }],
    ["aac_44k_stereo.m4a", { contentType: "audio/x-m4a", kind: "audio", container: "m4a" }],
  ];
  for (const [name, expected] of cases) {
    it(name, async () => {
      expect((await sniffFixture(name)).sniffed).toEqual(expected);
    });
  }

  it("handles empty and tiny inputs", async () => {
    expect(await sniff(new Uint8Array(0))).toEqual({ contentType: "application/octet-stream", kind: "other", container: null });
    expect(await sniff(new Uint8Array([0xff, 0xd8]))).toEqual({ contentType: "application/octet-stream", kind: "other", container: null });
  });
});

describe("reads of movies stay on the boxes they need", () => {
  it("fast-start MP4 (moov before mdat): stops reading after moov", async () => {
    const { source } = await read("h264_360p_25_faststart.mp4");
    expect(source.bytesRead).toBeLessThan(4096);
  });
});

describe("every media fixture: all fields (test/support/media-expected.ts)", () => {
  for (const [name, expected] of Object.entries(MEDIA_EXPECTED)) {
    it(name, async () => {
      const { technical, problem } = await read(name);
      expect(technical).toEqual(expected.technical);
      // Unknown bytes are only a problem because of their name: processing decides that (problemFromMediaName).
      if (expected.problemCode !== "unknown_format") expect(problem?.code ?? null).toBe(expected.problemCode);
    });
  }
});

describe("reads stay small", () => {
  it("WAV: the samples are never read", async () => {
    const { source } = await read("wav_48k_stereo.wav");
    expect(source.bytesRead).toBeLessThan(source.size / 2);
  });

  it("DNxHD: the frame itself (≈ 188 KB) is not read, only its 44-byte header", async () => {
    const { source } = await read("dnxhd36_1080p_2398_tc.mov");
    expect(source.bytesRead).toBeLessThan(8 * 1024);
  });

  it("MXF: the header partition only, never the essence", async () => {
    const { source, bytes } = await read("xdcam422_1080p25_tc.mxf");
    expect(source.bytesRead).toBeLessThan(bytes.byteLength / 2);
  });

  it("HEIC: the first 256 KiB at most", async () => {
    const { source } = await read("heic_iphone_13_pro_max_head256k.heic");
    expect(source.bytesRead).toBeLessThanOrEqual(256 * 1024);
  });
});

describe("QuickTime sound sample descriptions", () => {
  /** A version 2 sound description (LPCM): header, v0 fields with fixed values, then the v2 struct. */
  function lpcmV2Entry(bits: number, flags: number): Uint8Array {
    const entry = new Uint8Array(16 + 56);
    const v = new DataView(entry.buffer);
    v.setUint32(0, entry.byteLength);
    entry.set([0x6c, 0x70, 0x63, 0x6d], 4); // 'lpcm'
    v.setUint16(16, 2); // version
    v.setUint32(16 + 24 - 4, 72); // sizeOfStructOnly (not read)
    v.setFloat64(16 + 24, 96000);
    v.setUint32(16 + 32, 6); // channels
    v.setUint32(16 + 36, 0x7f000000);
    v.setUint32(16 + 40, bits);
    v.setUint32(16 + 44, flags);
    return entry;
  }

  it("lpcm (version 2): rate, channels, bits and the float / big-endian flags", () => {
    const int24le = readSoundEntry(lpcmV2Entry(24, 0x4 /* signed integer */));
    expect(int24le).toEqual({ sampleRate: 96000, channels: 6, bitDepth: 24, float: false, littleEndian: true });
    expect(pcmCodec("lpcm", int24le)).toEqual({ codec: "pcm_s24le", bitDepth: 24 });
    expect(pcmCodec("lpcm", readSoundEntry(lpcmV2Entry(32, 0x1 | 0x2)))).toEqual({ codec: "pcm_f32be", bitDepth: 32 });
    // Cut short: nothing is made up.
    expect(readSoundEntry(lpcmV2Entry(24, 0).subarray(0, 40))).toBeUndefined();
  });
});

describe("MXF", () => {
  it("operational patterns: OP1a from ffmpeg, OP-Atom (P2, Avid) read the same way", async () => {
    const bytes = fixture("xdcam422_1080p25_tc.mxf");
    // The partition pack's OperationalPattern UL sits 64 bytes into its value (16-byte key + 4-byte BER length 0x83 …).
    const at = 16 + 4 + 64;
    expect(operationalPattern(bytes.subarray(at, at + 16))).toBe("OP1a");
    const atom = bytes.slice();
    atom.set([0x10, 0x00], at + 12);
    expect(operationalPattern(atom.subarray(at, at + 16))).toBe("OPAtom");
    const { technical, problem } = await extractTechnical(bytesRangeSource(atom), await sniff(atom.subarray(0, 4100)));
    expect(problem).toBeNull();
    expect(technical).toEqual(MEDIA_EXPECTED["xdcam422_1080p25_tc.mxf"]!.technical);
  });

  it("damaged MXF: the partition pack is there, the metadata is garbage", async () => {
    const bytes = fixture("xdcam422_1080p25_tc.mxf").slice(0, 4096);
    bytes.fill(0x41, 200);
    const sniffed = await sniff(bytes);
    const { technical, problem } = await extractTechnical(bytesRangeSource(bytes), sniffed);
    expect(technical).toEqual({ container: "mxf" });
    expect(problem?.code).toMatch(/^(damaged|truncated)$/);
  });
});

describe("images: EXIF exposure, lens, dates and orientation (real camera files)", () => {
  it("JPEG from a Nikon with GPS", async () => {
    const { technical, problem } = await read("jpg_gps_DSCN0010.jpg");
    expect(problem).toBeNull();
    const { gps, ...exif } = technical.exif!;
    expect({ ...technical, exif }).toEqual({
      container: "jpeg",
      width: 640,
      height: 480,
      exif: {
        make: "NIKON",
        model: "COOLPIX P6000",
        dateTimeOriginal: "2008-10-22T16:28:39",
        iso: 64,
        fNumber: 5.9,
        exposureTime: 1 / 75, // exifr: 0.013333…
        focalLength: 24,
        focalLength35mm: 112,
        orientation: 1,
      },
    });
    // 43° 28' 2.814" N, 11° 53' 6.456" E; the file has no altitude.
    expect(gps?.latitude).toBeCloseTo(43.467448, 5);
    expect(gps?.longitude).toBeCloseTo(11.885127, 5);
    expect(gps?.altitude).toBeUndefined();
  });

  it("corrupted JPEG: the damage is located in the detail", async () => {
    const { problem, source } = await read("jpg_corrupted.jpg");
    expect(problem).toEqual({ code: "damaged", detail: "the JPEG image data is damaged at byte 212992 (invalid marker 0xFF9F)" });
    expect(source.bytesRead).toBeLessThanOrEqual(256 * 1024);
  });
});

describe("problems are codes: unknown format vs damaged vs truncated", () => {
  it("truncated MP4 (moov missing): 'truncated', and only the box headers read", async () => {
    const { technical, problem, source } = await read("truncated_moov_missing.mp4");
    expect(technical).toEqual({ container: "mp4" });
    expect(problem?.code).toBe("truncated");
    expect(problem?.detail).toMatch(/^no 'moov' box \(movie header\) was found/);
    expect(source.bytesRead).toBeLessThan(200);
  });

  it("MP4 cut inside moov: 'truncated'", async () => {
    const bytes = fixture("h264_1080p_2997_moov_end.mp4");
    const cut = bytes.subarray(0, bytes.byteLength - 100);
    const { technical, problem } = await extractTechnical(bytesRangeSource(cut), await sniff(cut.subarray(0, 4100)));
    expect(technical).toEqual({ container: "mp4" });
    expect(problem).toEqual({ code: "truncated", detail: expect.stringMatching(/runs past the end of the file/) });
  });

  it("garbage after a valid ftyp: 'damaged'", async () => {
    const bytes = fixture("h264_1080p_2997_moov_end.mp4").slice(0, 4096);
    bytes.set(fixture("unknown.bin").subarray(0, 4096 - 32), 32);
    const { technical, problem } = await extractTechnical(bytesRangeSource(bytes), await sniff(bytes));
    expect(technical).toEqual({ container: "mp4" });
    expect(problem?.code).toBe("damaged");
    expect(problem?.detail).toMatch(/invalid box header at offset 32/);
  });

  it("unknown bytes: nothing read and no problem from the bytes; the name decides 'unknown_format'", async () => {
    const { technical, problem, source } = await read("random_bytes.mov");
    expect({ technical, problem }).toEqual({ technical: {}, problem: null });
    expect(source.bytesRead).toBe(0);
    const sniffed = (await sniffFixture("random_bytes.mov")).sniffed;
    expect(problemFromMediaName("random_bytes.mov", sniffed)).toEqual({ code: "unknown_format", detail: "no known signature, although the name ends in .mov" });
    expect(problemFromMediaName("CLIP.MXF", sniffed)?.code).toBe("unknown_format");
    expect(problemFromMediaName("unknown.bin", sniffed)).toBeNull();
    expect(problemFromMediaName("notes", sniffed)).toBeNull();
    // A recognised type is never "unknown", whatever its name.
    expect(problemFromMediaName("photo.jpg", (await sniffFixture("wav_48k_stereo.wav")).sniffed)).toBeNull();
  });

  it("a recognised media container that is not read says 'unsupported_format'", async () => {
    // RIFF AVI header: sniffed as video/vnd.avi, no reader.
    const avi = new Uint8Array(64);
    avi.set([0x52, 0x49, 0x46, 0x46, 56, 0, 0, 0, 0x41, 0x56, 0x49, 0x20, 0x4c, 0x49, 0x53, 0x54]);
    const sniffed = await sniff(avi);
    expect(sniffed.kind).toBe("video");
    const { problem } = await extractTechnical(bytesRangeSource(avi), sniffed);
    expect(problem?.code).toBe("unsupported_format");
  });
});

describe("timecode arithmetic", () => {
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

  it("time since midnight at a real frame rate (BWF time references)", () => {
    expect(secondsToTimecode(3601.5, 30, false)).toBe("01:00:01:15");
    expect(secondsToTimecode(3600, 25, false)).toBe("01:00:00:00");
    // Drop-frame timecode keeps up with the clock: one hour of 29.97 is 01:00:00;00 (frame 107892).
    expect(secondsToTimecode(3600, 30000 / 1001, true)).toBe("01:00:00;00");
    expect(secondsToTimecode(3599.99, 30000 / 1001, true)).toBe("00:59:59;29");
    expect(() => secondsToTimecode(-1, 25, false)).toThrow(RangeError);
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
