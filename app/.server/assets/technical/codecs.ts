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
  avc1: "h264", avc2: "h264", avc3: "h264", avc4: "h264",
  hvc1: "hevc", hev1: "hevc", hvc2: "hevc", hev2: "hevc", dvh1: "hevc", dvhe: "hevc",
  av01: "av1", vp08: "vp8", vp09: "vp9", vvc1: "vvc", vvi1: "vvc",
  ap4h: "prores", ap4x: "prores", apch: "prores", apcn: "prores", apcs: "prores", apco: "prores",
  mjpa: "mjpeg", mjpb: "mjpeg", jpeg: "mjpeg", mjp2: "jpeg2000",
  AVdn: "dnxhd", AVdh: "dnxhd", "dvc ": "dvvideo", dvcp: "dvvideo", dv5n: "dvvideo", dv5p: "dvvideo",
  "ac-3": "ac3", "ec-3": "eac3", Opus: "opus", fLaC: "flac", alac: "alac",
  sowt: "pcm_s16le", twos: "pcm_s16be", in24: "pcm_s24", in32: "pcm_s32",
  fl32: "pcm_f32", fl64: "pcm_f64", lpcm: "lpcm", ipcm: "pcm_int", fpcm: "pcm_float", "raw ": "pcm_u8",
};

/** MPEG-4 object type indications used inside mp4a / mp4v. */
const BY_OTI: Record<string, string> = {
  "40": "aac", "66": "aac", "67": "aac", "68": "aac", "69": "mp3", "6b": "mp3",
  a5: "ac3", a6: "eac3", a9: "dts", ad: "opus",
  "20": "mpeg4", "60": "mpeg2video", "61": "mpeg2video", "62": "mpeg2video", "63": "mpeg2video",
  "64": "mpeg2video", "65": "mpeg2video", "6a": "mpeg1video", "6c": "mjpeg",
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
