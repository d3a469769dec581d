/**
 * Processing after upload, end to end: real camera and ffmpeg-made files go
 * up through the public API, the queue consumer hashes and inspects the
 * stored object, and GET /assets/{id} reports exact technical values.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "../../support/http";
import { buildWorld, expectJson, type World } from "../../support/world";
import { MEDIA_EXPECTED } from "../../support/media-expected";
import { mediaFixture, sha256Hex, uploadAsset, waitProcessed, type AssetBody } from "../../support/assets";

let world: World;
let token: string;

async function processed(name: string, claimedType = "application/octet-stream"): Promise<{ asset: AssetBody; bytes: Uint8Array<ArrayBuffer> }> {
  const bytes = mediaFixture(name);
  const created = await uploadAsset(token, world.p1, name, bytes, { type: claimedType });
  return { asset: await waitProcessed(token, created.id), bytes };
}

beforeAll(async () => {
  world = await buildWorld("proc");
  token = world.users.member.token;
});

describe("processing after upload", () => {
  it("reads an H.264 MP4 with moov at the end: 1920x1080, 29.97 fps, AAC stereo 48 kHz", async () => {
    const { asset, bytes } = await processed("h264_1080p_2997_moov_end.mp4", "text/plain");
    expect(asset.status).toBe("ready");
    expect(asset.problem).toBeNull();
    // Sniffed from the bytes, whatever the client claimed.
    expect(asset.contentType).toBe("video/mp4");
    expect(asset.kind).toBe("video");
    expect(asset.sha256).toBe(await sha256Hex(bytes));
    expect(asset.technical).toEqual(MEDIA_EXPECTED["h264_1080p_2997_moov_end.mp4"]!.technical);
  });

  it("reads the start timecode of a MOV's tmcd track, drop-frame with a semicolon", async () => {
    const { asset } = await processed("tmcd_df_01000000.mov");
    expect(asset.contentType).toBe("video/quicktime");
    expect(asset.technical).toMatchObject({ container: "mov", width: 320, height: 240, videoCodec: "h264", startTimecode: "01:00:00;00" });
  });

  it("reads a 48 kHz stereo WAV", async () => {
    const { asset } = await processed("wav_48k_stereo.wav");
    expect(asset.kind).toBe("audio");
    expect(asset.contentType).toBe("audio/wav");
    expect(asset.technical).toMatchObject({ container: "wav", audioCodec: "pcm_s16le", audioChannels: 2, audioSampleRate: 48000, durationSeconds: 1 });
  });

  it("reads EXIF of a real camera JPEG with GPS", async () => {
    const { asset } = await processed("jpg_gps_DSCN0010.jpg");
    expect(asset.kind).toBe("image");
    expect(asset.contentType).toBe("image/jpeg");
    expect(asset.technical.width).toBe(640);
    expect(asset.technical.height).toBe(480);
    const exif = asset.technical.exif as { make: string; model: string; dateTimeOriginal: string; gps: { latitude: number; longitude: number } };
    expect(exif.make).toBe("NIKON");
    expect(exif.model).toBe("COOLPIX P6000");
    expect(exif.dateTimeOriginal).toBe("2008-10-22T16:28:39");
    expect(exif.gps.latitude).toBeCloseTo(43.467448, 5);
    expect(exif.gps.longitude).toBeCloseTo(11.885127, 5);
  });

  it("keeps what it could read of a corrupt JPEG and says what is wrong", async () => {
    const { asset } = await processed("jpg_corrupted.jpg");
    expect(asset.status).toBe("ready");
    expect(asset.problem).toMatch(/damaged/);
    expect((asset.technical.exif as { make?: string }).make).toMatch(/OLYMPUS/i);
  });

  it("fails an MP4 whose moov box is missing, with a reason, and never crashes", async () => {
    const { asset } = await processed("truncated_moov_missing.mp4");
    expect(asset.status).toBe("failed");
    expect(asset.problem).toMatch(/moov/);
    expect(asset.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("treats unknown bytes as a ready file of kind other", async () => {
    const { asset } = await processed("unknown.bin", "video/mp4");
    expect(asset.status).toBe("ready");
    expect(asset.kind).toBe("other");
    expect(asset.contentType).toBe("application/octet-stream");
    expect(asset.technical).toEqual({});
  });

  it("filters by technical ranges after processing", async () => {
    const list = async (q: string) =>
      (await expectJson<{ items: AssetBody[] }>(call(`/api/v1/projects/${world.p1}/assets?${q}`, { token }), 200)).items.map((a) => a.name).sort();
    // The damaged Olympus still is 3648x2736 by its EXIF.
    expect(await list("minWidth=1920&minHeight=1080")).toEqual(["h264_1080p_2997_moov_end.mp4", "jpg_corrupted.jpg"]);
    expect(await list("minWidth=1920&kind=video")).toEqual(["h264_1080p_2997_moov_end.mp4"]);
    expect(await list("kind=audio&minDuration=0.5&maxDuration=2")).toEqual(["wav_48k_stereo.wav"]);
    expect(await list("kind=image")).toEqual(["jpg_corrupted.jpg", "jpg_gps_DSCN0010.jpg"]);
  });
});
