/**
 * What the technical readers must report for each professional-media fixture
 * (test/fixtures/media, see SOURCES.md there). One table for the Node unit
 * tests (parsers) and the workerd pipeline test (upload → processing → API),
 * so both prove the same values. Numbers come from ffprobe / exifr.
 */
import type { ProblemCode } from "~/schemas/assets";
import type { Technical } from "~/.server/assets/technical";

export type MediaExpectation = { technical: Technical; problemCode: ProblemCode | null; status: "ready" | "failed" };

/** ffprobe: every ProRes file is 160x90 @ 25/1, 2 frames (0.080000 s); in24 = pcm_s24le 48 kHz (enda: little-endian); tmcd 10:00:00:00. */
function prores(name: string, depth: number, bitRate: number): MediaExpectation {
  return {
    status: "ready",
    problemCode: null,
    technical: {
      container: "mov",
      durationSeconds: 0.08,
      bitRate, // ffprobe: format bit_rate
      width: 160,
      height: 90,
      frameRate: 25,
      videoCodec: "prores",
      videoCodecName: name,
      videoBitDepth: depth, // ffprobe: bits_per_raw_sample
      audioCodec: "pcm_s24le",
      audioChannels: 2,
      audioSampleRate: 48000,
      audioBitDepth: 24,
      startTimecode: "10:00:00:00",
    },
  };
}

/** ffprobe: 20 ms stereo 48 kHz PCM in QuickTime, no video. */
function pcmMov(codec: string, bits: number, bitRate: number): MediaExpectation {
  return ready({ container: "mov", durationSeconds: 0.02, bitRate, audioCodec: codec, audioChannels: 2, audioSampleRate: 48000, audioBitDepth: bits });
}

const MONO_PCM24 = { kind: "audio", codec: "pcm_s24le", bitDepth: 24, channels: 1, sampleRate: 48000 } as const;

const ready = (technical: Technical): MediaExpectation => ({ status: "ready", problemCode: null, technical });

export const MEDIA_EXPECTED: Record<string, MediaExpectation> = {
  // H.264 + AAC, `moov` after `mdat` (ffprobe: duration 1.001000, bit_rate 1048255).
  "h264_1080p_2997_moov_end.mp4": ready({
    container: "mp4",
    durationSeconds: 1.001,
    width: 1920,
    height: 1080,
    frameRate: 29.97,
    videoCodec: "h264",
    audioCodec: "aac",
    audioChannels: 2,
    audioSampleRate: 48000,
    bitRate: 1048255,
  }),
  // tmcd track: drop-frame flag, first sample = frame 107892.
  "tmcd_df_01000000.mov": ready({
    container: "mov",
    durationSeconds: 1.001,
    width: 320,
    height: 240,
    frameRate: 29.97,
    videoCodec: "h264",
    bitRate: 156251,
    startTimecode: "01:00:00;00",
  }),
  // AAC mono: the mp4a sample entry says 2, the AudioSpecificConfig says 1.
  "h264_360p_25_faststart.mp4": ready({
    container: "mp4",
    durationSeconds: 2,
    width: 640,
    height: 360,
    frameRate: 25,
    videoCodec: "h264",
    audioCodec: "aac",
    audioChannels: 1,
    audioSampleRate: 44100,
    bitRate: 263628,
  }),
  "aac_44k_stereo.m4a": ready({ container: "m4a", durationSeconds: 1, audioCodec: "aac", audioChannels: 2, audioSampleRate: 44100, bitRate: 73112 }),
  "wav_48k_stereo.wav": ready({
    container: "wav",
    durationSeconds: 1,
    audioCodec: "pcm_s16le",
    audioChannels: 2,
    audioSampleRate: 48000,
    audioBitDepth: 16,
    bitRate: 1536352,
  }),
  // ffprobe: duration=1.044898 (40 frames × 1152 / 44100, from the Xing header).
  "mp3_44k_stereo_128k.mp3": ready({ container: "mp3", durationSeconds: 1.045, audioCodec: "mp3", audioChannels: 2, audioSampleRate: 44100, bitRate: 131342 }),
  "flac_48k_mono.flac": ready({ container: "flac", durationSeconds: 1, audioCodec: "flac", audioChannels: 1, audioSampleRate: 48000, bitRate: 171896 }),
  "prores_proxy_pcm24_tc.mov": prores("Apple ProRes 422 Proxy", 10, 1291100),
  "prores_lt_pcm24_tc.mov": prores("Apple ProRes 422 LT", 10, 1805000),
  "prores_hq_pcm24_tc.mov": prores("Apple ProRes 422 HQ", 10, 2702800),
  "prores_4444_pcm24_tc.mov": prores("Apple ProRes 4444", 12, 4912800),
  "prores_4444xq_pcm24_tc.mov": prores("Apple ProRes 4444 XQ", 12, 4912800),
  // apcn with two mono 24-bit tracks, as cameras write them: every track is listed.
  "prores_standard_pcm24_tc.mov": {
    status: "ready",
    problemCode: null,
    technical: {
      ...prores("Apple ProRes 422", 10, 2226800).technical,
      audioChannels: 1,
      tracks: [{ kind: "video", codec: "prores", codecName: "Apple ProRes 422", width: 160, height: 90, frameRate: 25, bitDepth: 10 }, MONO_PCM24, MONO_PCM24],
    },
  },
  "mov_pcm_s32le.mov": pcmMov("pcm_s32le", 32, 3354800), // in32 + enda
  "mov_pcm_f32le.mov": pcmMov("pcm_f32le", 32, 3354800), // fl32 + enda
  "mov_pcm_f64be.mov": pcmMov("pcm_f64be", 64, 6426800), // fl64
  "mov_pcm_s16be.mov": pcmMov("pcm_s16be", 16, 1797200), // twos
  // DNxHD 36: profile family and bit depth from the first frame's header.
  "dnxhd36_1080p_2398_tc.mov": {
    status: "ready",
    problemCode: null,
    technical: {
      container: "mov",
      durationSeconds: 0.042, // ffprobe: 0.042000
      bitRate: 36172380, // ffprobe
      width: 1920,
      height: 1080,
      frameRate: 23.98, // ffprobe: 24000/1001
      videoCodec: "dnxhd",
      videoCodecName: "Avid DNxHD",
      videoBitDepth: 8, // ffprobe: bits_per_raw_sample=8
      startTimecode: "00:59:58:00",
    },
  },
  "dnxhr_lb_144p.mov": {
    status: "ready",
    problemCode: null,
    technical: {
      container: "mov",
      durationSeconds: 0.08,
      bitRate: 1714300, // ffprobe
      width: 256,
      height: 144,
      frameRate: 25,
      videoCodec: "dnxhd",
      videoCodecName: "Avid DNxHR LB", // ffprobe: profile=DNXHR LB
      videoBitDepth: 8,
    },
  },
  "xdcam422_1080p25_tc.mxf": {
    status: "ready",
    problemCode: null,
    technical: {
      container: "mxf",
      durationSeconds: 0.04, // ffprobe: 0.040000
      bitRate: 13016200, // ffprobe
      startTimecode: "01:00:00:00", // ffprobe: format tag timecode
      width: 1920,
      height: 1080, // display height (stored 1088)
      frameRate: 25,
      videoCodec: "mpeg2video",
      videoCodecName: "MPEG-2 422P@HL Long GOP", // ffprobe: profile 4:2:2
      videoBitDepth: 8,
      audioCodec: "pcm_s24le",
      audioChannels: 1,
      audioSampleRate: 48000,
      audioBitDepth: 24,
    },
  },
  "avcintra50_1080p25.mxf": {
    status: "ready",
    problemCode: null,
    technical: {
      container: "mxf",
      durationSeconds: 0.04,
      bitRate: 57660200, // ffprobe
      startTimecode: "00:00:00:00", // ffprobe: format tag timecode
      width: 1440,
      height: 1080,
      frameRate: 25,
      videoCodec: "h264",
      videoCodecName: "H.264 High 10 Intra (AVC-Intra 50 class)", // ffprobe: profile High 10 Intra
      videoBitDepth: 10,
    },
  },
  // 24-bit WAVE_FORMAT_EXTENSIBLE: PCM sub-format and bit depth, not "non-PCM (65534)".
  "wav_24bit_extensible.wav": {
    status: "ready",
    problemCode: null,
    technical: {
      container: "wav",
      durationSeconds: 0.25,
      bitRate: 2306176,
      audioCodec: "pcm_s24le",
      audioChannels: 2,
      audioSampleRate: 48000,
      audioBitDepth: 24,
    },
  },
  "wav_float32_extensible.wav": {
    status: "ready",
    problemCode: null,
    technical: {
      container: "wav",
      durationSeconds: 0.25,
      bitRate: 1538560,
      audioCodec: "pcm_f32le",
      audioChannels: 1,
      audioSampleRate: 48000,
      audioBitDepth: 32,
    },
  },
  // ffprobe: time_reference=172872000 samples at 48 kHz = 3601.5 s → 01:00:01:15 at 30 fps (no iXML rate).
  "bwf_timeref_01000115.wav": {
    status: "ready",
    problemCode: null,
    technical: {
      container: "wav",
      durationSeconds: 0.25,
      bitRate: 788928,
      audioCodec: "pcm_s16le",
      audioChannels: 1,
      audioSampleRate: 48000,
      audioBitDepth: 16,
      startTimecode: "01:00:01:15",
    },
  },
  "jpg_Canon_40D.jpg": {
    status: "ready",
    problemCode: null,
    technical: {
      container: "jpeg",
      width: 100,
      height: 68,
      exif: {
        make: "Canon",
        model: "Canon EOS 40D",
        dateTimeOriginal: "2008-05-30T15:56:01",
        iso: 100,
        fNumber: 7.1,
        exposureTime: 0.00625,
        focalLength: 135,
        orientation: 1,
      },
    },
  },
  // Portrait iPhone HEIC: stored 4032×3024, EXIF orientation 6 → 3024×4032 as displayed.
  "heic_iphone_13_pro_max_head256k.heic": {
    status: "ready",
    problemCode: null,
    technical: {
      container: "heic",
      width: 3024,
      height: 4032,
      exif: {
        make: "Apple",
        model: "iPhone 13 Pro Max",
        dateTimeOriginal: "2022-02-16T12:55:41+01:00",
        lensMake: "Apple",
        lensModel: "iPhone 13 Pro Max back triple camera 5.7mm f/1.5",
        iso: 250,
        fNumber: 1.5,
        exposureTime: 1 / 60,
        focalLength: 5.7,
        focalLength35mm: 26,
        orientation: 6,
      },
    },
  },
  // Olympus μ1020 with a damaged scan: EXIF still read; 16 KiB of 0xFF end in the invalid marker 0xFF9F.
  "jpg_corrupted.jpg": {
    status: "ready",
    problemCode: "damaged",
    technical: {
      container: "jpeg",
      width: 3648,
      height: 2736,
      exif: {
        make: "OLYMPUS IMAGING CORP.",
        model: "u1020,S1020",
        dateTimeOriginal: "2015-09-08T11:02:17",
        iso: 80,
        fNumber: 3.5,
        exposureTime: 0.004,
        focalLength: 6.6,
        orientation: 1,
      },
    },
  },
  "jpg_invalid_image01137.jpg": { status: "ready", problemCode: null, technical: { container: "jpeg", width: 88, height: 64 } },
  "truncated_moov_missing.mp4": { status: "failed", problemCode: "truncated", technical: { container: "mp4" } },
  // Random bytes named like a movie: a good file of unknown format, said so in the user's language.
  "random_bytes.mov": { status: "ready", problemCode: "unknown_format", technical: {} },
};
