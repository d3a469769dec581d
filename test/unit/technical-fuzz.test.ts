/**
 * Robustness of sniffing and technical metadata on arbitrary bytes: random
 * buffers and damaged copies of real files must never throw, hang or blow
 * the stack (a crash in the queue consumer would leave assets processing).
 */
import { describe, expect, it } from "vitest";
import { bytesRangeSource, extractTechnical, PROBLEM_CODES, sniff } from "~/.server/assets/technical";
import { pseudoRandomBytes } from "../support/generated";
import { fixture } from "./media-fixtures";

async function inspect(bytes: Uint8Array) {
  const sniffed = await sniff(bytes.slice(0, 4100));
  const result = await extractTechnical(bytesRangeSource(bytes), sniffed, { timeoutMs: 5_000 });
  return { sniffed, result };
}

describe("technical metadata on hostile input", () => {
  it("survives 400 random buffers of assorted sizes", async () => {
    for (let seed = 1; seed <= 400; seed++) {
      const bytes = pseudoRandomBytes([16, 512, 4096, 70_000][seed % 4]!, seed);
      const { result } = await inspect(bytes);
      expect(result.problem === null || PROBLEM_CODES.includes(result.problem.code), `seed ${seed}`).toBe(true);
    }
  }, 300_000);

  it("survives real files with bytes flipped and cut short", async () => {
    for (const name of [
      "h264_1080p_2997_moov_end.mp4",
      "tmcd_df_01000000.mov",
      "prores_standard_pcm24_tc.mov",
      "dnxhr_lb_144p.mov",
      "xdcam422_1080p25_tc.mxf",
      "wav_48k_stereo.wav",
      "wav_24bit_extensible.wav",
      "bwf_timeref_01000115.wav",
      "jpg_gps_DSCN0010.jpg",
      "mp3_44k_stereo_128k.mp3",
      "flac_48k_mono.flac",
    ]) {
      const original = fixture(name);
      for (let seed = 1; seed <= 25; seed++) {
        const damaged = original.slice(0, Math.max(64, Math.floor((original.length * ((seed % 5) + 1)) / 5)));
        const noise = pseudoRandomBytes(64, seed);
        for (let i = 0; i < noise.length; i += 2) damaged[(noise[i]! * 257 + noise[i + 1]! * seed) % damaged.length] = noise[i]!;
        const { result } = await inspect(damaged);
        expect(result.problem === null || PROBLEM_CODES.includes(result.problem.code), `${name} seed ${seed}`).toBe(true);
      }
    }
  }, 300_000);
});
