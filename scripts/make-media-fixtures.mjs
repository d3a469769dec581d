#!/usr/bin/env node
// Media fixtures for issue #13's transcoder and player tests, made with Debian's ffmpeg:
//   node scripts/make-media-fixtures.mjs <directory>
// Small (1–2 s, ≤ 640 px) so that tests stay fast, but each in the professional format the issue
// names: ProRes 422 with drop-frame timecode, DNxHR in MXF, H.264 23.976 MOV, HEVC MP4, 24-bit
// WAV, MP3, random bytes, and "frame-number" videos at 29.97 DF and 23.976 whose every frame shows
// its own number: drawn as text for people and as a 16-bit barcode (white = 1, the most
// significant bit on the left) that a test reads back from the pixels. Prints what it made as JSON.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const dir = process.argv[2];
if (!dir) {
  process.stderr.write("usage: node scripts/make-media-fixtures.mjs <directory>\n");
  process.exit(2);
}
mkdirSync(dir, { recursive: true });

const ffmpeg = (args) => execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", ...args], { stdio: ["ignore", "ignore", "inherit"] });
const out = (name) => path.join(dir, name);

/** A picture whose top half is a barcode of the frame number N (16 columns) and bottom half the number as text. */
const frameNumberPicture = (width, height) =>
  [
    `geq=lum='if(lt(Y,H/2),255*mod(floor(N/pow(2,15-floor(X*16/W))),2),16)':cb=128:cr=128`,
    `drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf:text='%{frame_num}':x=(w-tw)/2:y=h*3/4-th/2:fontsize=${Math.round(height / 5)}:fontcolor=white`,
    `scale=${width}:${height}`,
  ].join(",");

const made = {};
const make = (name, args) => {
  ffmpeg([...args, out(name)]);
  made[name] = out(name);
};

// ProRes 422 (profile 2) in MOV, 29.97 (30000/1001) with drop-frame timecode starting at 00:59:59;00, 24-bit PCM.
make("prores422_2997df.mov", [
  ...["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30000/1001:duration=2"],
  ...["-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000:duration=2"],
  ...["-c:v", "prores_ks", "-profile:v", "2", "-pix_fmt", "yuv422p10le", "-c:a", "pcm_s24le", "-timecode", "00:59:59;00"],
]);
// DNxHR LB in MXF OP1a, 25 fps (DNxHR takes any size; classic DNxHD only broadcast sizes and bitrates).
make("dnxhr_lb.mxf", [
  ...["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=1"],
  ...["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=1"],
  ...["-c:v", "dnxhd", "-profile:v", "dnxhr_lb", "-pix_fmt", "yuv422p", "-c:a", "pcm_s24le", "-f", "mxf"],
]);
// H.264 at 23.976 (24000/1001) in MOV.
make("h264_23976.mov", [
  ...["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=24000/1001:duration=2"],
  ...["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"],
]);
// HEVC in MP4, 25 fps, tagged hvc1 as Apple devices write it.
make("hevc_25.mp4", [
  ...["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=1"],
  ...["-c:v", "libx265", "-preset", "ultrafast", "-tag:v", "hvc1", "-x265-params", "log-level=error"],
]);
// 24-bit WAV and MP3.
make("pcm24_48k.wav", [...["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2"], ...["-ac", "2", "-c:a", "pcm_s24le"]]);
make("mp3_44k.mp3", [...["-f", "lavfi", "-i", "sine=frequency=660:sample_rate=44100:duration=2"], ...["-c:a", "libmp3lame", "-b:a", "128k"]]);
// Frame-number videos (H.264 intra-only, so every frame is exact after decoding): 29.97 DF from 00:00:58;00 (steps cross a dropped label) and 23.976.
for (const [name, rate, timecode] of [
  ["frames_2997df.mp4", "30000/1001", "00:00:58;00"],
  ["frames_23976.mp4", "24000/1001", "00:00:00:00"],
]) {
  make(name, [
    ...["-f", "lavfi", "-i", `color=black:size=640x360:rate=${rate}:duration=4`],
    ...["-vf", frameNumberPicture(640, 360), "-c:v", "libx264", "-preset", "veryfast", "-g", "1", "-pix_fmt", "yuv420p", "-timecode", timecode],
  ]);
}
// Random bytes: no format at all.
writeFileSync(out("random.bin"), randomBytes(64 * 1024));
made["random.bin"] = out("random.bin");

process.stdout.write(`${JSON.stringify(made, null, 2)}\n`);
