/**
 * Readable codec names from ISO BMFF / QuickTime sample-entry codes.
 *
 * mp4box reports RFC 6381 strings ("avc1.640028", "mp4a.40.2"); only the
 * four-character code (and, for mp4a/mp4v, the object type) decides the name:
 *
 *   avc1 avc2 avc3 avc4            → h264
 *   hvc1 hev1 hvc2 hev2 dvh1 dvhe  → hevc
 *   av01 → av1, vp08 → vp8, vp09 → vp9, vvc1 vvi1 → vvc
 *   ap4h ap4x apch apcn apcs apco  → prores
 *   mp4v.20 → mpeg4, mp4v.60–65 → mpeg2video, mp4v.6A → mpeg1video
 *   mjpa mjpb jpeg mjp2 → mjpeg / jpeg2000
 *   AVdn AVdh → dnxhd, dvc dvcp dv5n dv5p → dvvideo
 *   mp4a.40.* and mp4a.66–68 → aac, mp4a.69/6B → mp3, mp4a.A5 / ac-3 → ac3,
 *   mp4a.A6 / ec-3 → eac3, Opus → opus, fLaC → flac, alac → alac
 *   sowt → pcm_s16le, twos → pcm_s16be, in24 → pcm_s24 (big-endian unless the
 *   sample entry says otherwise), in32 → pcm_s32, fl32 → pcm_f32, fl64 → pcm_f64,
 *   lpcm → lpcm, ipcm → pcm_int, fpcm → pcm_float, raw → pcm_u8
 *
 * Anything else is returned as its four-character code, trimmed.
 */
const BY_FOURCC: Record<string, string> = {
  avc1: "h264",
  avc2: "h264",
  avc3: "h264",
  avc4: "h264",
  hvc1: "hevc",
  hev1: "hevc",
  hvc2: "hevc",
  hev2: "hevc",
  dvh1: "hevc",
  dvhe: "hevc",
  av01: "av1",
  vp08: "vp8",
  vp09: "vp9",
  vvc1: "vvc",
  vvi1: "vvc",
  ap4h: "prores",
  ap4x: "prores",
  apch: "prores",
  apcn: "prores",
  apcs: "prores",
  apco: "prores",
  mjpa: "mjpeg",
  mjpb: "mjpeg",
  jpeg: "mjpeg",
  mjp2: "jpeg2000",
  AVdn: "dnxhd",
  AVdh: "dnxhd",
  "dvc ": "dvvideo",
  dvcp: "dvvideo",
  dv5n: "dvvideo",
  dv5p: "dvvideo",
  "ac-3": "ac3",
  "ec-3": "eac3",
  Opus: "opus",
  fLaC: "flac",
  alac: "alac",
  sowt: "pcm_s16le",
  twos: "pcm_s16be",
  in24: "pcm_s24",
  in32: "pcm_s32",
  fl32: "pcm_f32",
  fl64: "pcm_f64",
  lpcm: "lpcm",
  ipcm: "pcm_int",
  fpcm: "pcm_float",
  "raw ": "pcm_u8",
};

/** MPEG-4 object type indications used inside mp4a / mp4v. */
const BY_OTI: Record<string, string> = {
  "40": "aac",
  "66": "aac",
  "67": "aac",
  "68": "aac",
  "69": "mp3",
  "6b": "mp3",
  a5: "ac3",
  a6: "eac3",
  a9: "dts",
  ad: "opus",
  "20": "mpeg4",
  "60": "mpeg2video",
  "61": "mpeg2video",
  "62": "mpeg2video",
  "63": "mpeg2video",
  "64": "mpeg2video",
  "65": "mpeg2video",
  "6a": "mpeg1video",
  "6c": "mjpeg",
};

export function codecName(codec: string | undefined | null): string | undefined {
  if (!codec) return undefined;
  const [fourcc = "", oti] = codec.split(".");
  if (fourcc === "mp4a" || fourcc === "mp4v") {
    const byOti = oti ? BY_OTI[oti.toLowerCase()] : undefined;
    return byOti ?? (fourcc === "mp4a" ? "aac" : "mpeg4");
  }
  // Sample-entry codes may carry trailing spaces ("raw ", "dvc ").
  const padded = fourcc.padEnd(4, " ");
  return BY_FOURCC[padded] ?? BY_FOURCC[fourcc] ?? (fourcc.trim() || undefined);
}

/** Human names (with profile) of the professional video formats whose sample entry names the profile. */
const HUMAN_BY_FOURCC: Record<string, string> = {
  apco: "Apple ProRes 422 Proxy",
  apcs: "Apple ProRes 422 LT",
  apcn: "Apple ProRes 422",
  apch: "Apple ProRes 422 HQ",
  ap4h: "Apple ProRes 4444",
  ap4x: "Apple ProRes 4444 XQ",
  AVdn: "Avid DNxHD",
  AVdh: "Avid DNxHR",
};

/** Component bit depth each ProRes profile is defined with (422: 10-bit; 4444: 12-bit). */
const PRORES_BIT_DEPTH: Record<string, number> = { apco: 10, apcs: 10, apcn: 10, apch: 10, ap4h: 12, ap4x: 12 };

export function humanCodecName(fourcc: string): string | undefined {
  return HUMAN_BY_FOURCC[fourcc];
}

export function proResBitDepth(fourcc: string): number | undefined {
  return PRORES_BIT_DEPTH[fourcc];
}

/**
 * Avid DNx compression ids (SMPTE ST 2019-1 / VC-3 and the DNxHR extension)
 * to the family name Avid uses; the id lives in the frame header.
 */
const DNX_BY_CID: Record<number, string> = {
  1270: "Avid DNxHR 444",
  1271: "Avid DNxHR HQX",
  1272: "Avid DNxHR HQ",
  1273: "Avid DNxHR SQ",
  1274: "Avid DNxHR LB",
};

export function dnxName(cid: number): string {
  return DNX_BY_CID[cid] ?? (cid >= 1235 && cid <= 1260 ? "Avid DNxHD" : `Avid DNx (CID ${cid})`);
}

/** Integer and float PCM sample entries and the bits each one always has. */
const PCM_BITS: Record<string, { bits: number; float?: boolean; littleEndian?: boolean }> = {
  in24: { bits: 24 },
  in32: { bits: 32 },
  fl32: { bits: 32, float: true },
  fl64: { bits: 64, float: true },
  sowt: { bits: 16, littleEndian: true },
  twos: { bits: 16 },
};

/**
 * ffmpeg-style PCM codec id (pcm_s24le, pcm_f32be, …) from the sample-entry
 * code and what the entry says (bit depth, float flag, `enda` endianness).
 * QuickTime PCM is big-endian unless the entry says otherwise.
 */
export function pcmCodec(
  fourcc: string,
  entry: { bitDepth?: number; float?: boolean; littleEndian?: boolean } | undefined,
): { codec: string; bitDepth: number } | undefined {
  const known = PCM_BITS[fourcc];
  if (!known && fourcc !== "lpcm") return undefined;
  let bits = known?.bits ?? entry?.bitDepth;
  if ((fourcc === "sowt" || fourcc === "twos") && entry?.bitDepth === 8) bits = 8;
  if (!bits) return undefined;
  const float = known ? !!known.float : !!entry?.float;
  if (bits === 8 && !float) return { codec: "pcm_s8", bitDepth: 8 }; // 8-bit sowt/twos are signed; unsigned is `raw `
  const little = known?.littleEndian ?? entry?.littleEndian ?? false;
  return { codec: `pcm_${float ? "f" : "s"}${bits}${little ? "le" : "be"}`, bitDepth: bits };
}
