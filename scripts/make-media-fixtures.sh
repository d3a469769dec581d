#!/usr/bin/env bash
# Regenerates the media fixtures in test/fixtures/media/ used by
# test/integration/technical-metadata.test.ts.
#
# Needs ffmpeg/ffprobe (Debian: apt-get install ffmpeg) and node. The ffmpeg
# outputs are made with single-threaded, bitexact encoding so that the same
# ffmpeg build reproduces the same bytes; another ffmpeg version may produce
# slightly different bytes but the same stream properties (which is what the
# tests assert). The real camera files are copied from shared/ (see SOURCES.md).
#
# Usage: scripts/make-media-fixtures.sh [path/to/real-media]
set -euo pipefail

cd "$(dirname "$0")/.."
OUT=test/fixtures/media
REAL=${1:-../shared/fixtures/real-media}
mkdir -p "$OUT"

FF=(ffmpeg -hide_banner -loglevel error -y)
BITEXACT=(-fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1 -threads 1)

# 1. H.264 1920x1080 at 30000/1001 fps, 1.001 s (30 frames), AAC stereo 48 kHz.
#    No +faststart: ffmpeg writes `moov` after `mdat`. Low quality keeps it small.
"${FF[@]}" \
  -f lavfi -i "testsrc2=size=1920x1080:rate=30000/1001" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000" \
  -t 1.001 \
  -c:v libx264 -preset veryfast -crf 38 -pix_fmt yuv420p -profile:v high -x264-params "threads=1" \
  -c:a aac -b:a 64k -ac 2 -ar 48000 \
  "${BITEXACT[@]}" \
  "$OUT/h264_1080p_2997_moov_end.mp4"

# 2. QuickTime MOV with a tmcd track starting at 01:00:00;00 drop-frame, 29.97 fps.
"${FF[@]}" \
  -f lavfi -i "testsrc2=size=320x240:rate=30000/1001" \
  -frames:v 30 \
  -c:v libx264 -preset veryfast -crf 35 -pix_fmt yuv420p -x264-params "threads=1" \
  -timecode '01:00:00;00' \
  "${BITEXACT[@]}" \
  -f mov "$OUT/tmcd_df_01000000.mov"

# 3. WAV, PCM signed 16-bit little-endian, 48 kHz, stereo, 1 s.
"${FF[@]}" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=1" \
  -ac 2 -c:a pcm_s16le \
  "${BITEXACT[@]}" \
  "$OUT/wav_48k_stereo.wav"

# 3b. Other audio: MP3 (CBR 128 kb/s, 44.1 kHz stereo, with a Xing header), FLAC
#     (48 kHz mono 16-bit), AAC in an M4A (44.1 kHz stereo); 1 s each.
"${FF[@]}" -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=1" \
  -ac 2 -c:a libmp3lame -b:a 128k "${BITEXACT[@]}" "$OUT/mp3_44k_stereo_128k.mp3"
"${FF[@]}" -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=1" \
  -ac 1 -c:a flac "${BITEXACT[@]}" "$OUT/flac_48k_mono.flac"
"${FF[@]}" -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=1" \
  -ac 2 -c:a aac -b:a 64k "${BITEXACT[@]}" -movflags +faststart "$OUT/aac_44k_stereo.m4a"

# 3c. A "fast start" MP4 (moov before mdat), 25 fps, small H.264 + AAC mono.
"${FF[@]}" \
  -f lavfi -i "testsrc2=size=640x360:rate=25" \
  -f lavfi -i "sine=frequency=440:sample_rate=44100" \
  -t 2 \
  -c:v libx264 -preset veryfast -crf 40 -pix_fmt yuv420p -x264-params "threads=1" \
  -c:a aac -b:a 48k -ac 1 \
  "${BITEXACT[@]}" -movflags +faststart \
  "$OUT/h264_360p_25_faststart.mp4"

# 4. A truncated MP4: the first 40 % of the first file, so `moov` (at the end) is missing.
size=$(stat -c %s "$OUT/h264_1080p_2997_moov_end.mp4")
head -c $((size * 40 / 100)) "$OUT/h264_1080p_2997_moov_end.mp4" > "$OUT/truncated_moov_missing.mp4"

# 5. 8 KiB of deterministic pseudo-random bytes (xorshift32, seed 0x4b555241 "KURA").
node -e '
  let x = 0x4b555241 >>> 0;
  const buf = Buffer.alloc(8192);
  for (let i = 0; i < buf.length; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    buf[i] = x & 0xff;
  }
  require("fs").writeFileSync(process.argv[1], buf);
' "$OUT/unknown.bin"

# 6. Real camera files (CC BY-SA 4.0, see SOURCES.md), copied unmodified.
for f in jpg_gps_DSCN0010.jpg jpg_Canon_40D.jpg jpg_corrupted.jpg; do
  cp "$REAL/$f" "$OUT/$f"
  chmod 644 "$OUT/$f"
done
# The iPhone HEIC is 2.1 MB: too big to commit whole. Only its first 4 KiB
# (the ftyp/meta header, enough for content sniffing) is kept.
head -c 4096 "$REAL/heic_mobile_iphone_13_pro_max.HEIC" > "$OUT/heic_iphone_13_pro_max_head4k.heic"

# Show the top-level box order of the MP4 (moov must come after mdat).
node -e '
  const b = require("fs").readFileSync(process.argv[1]);
  let o = 0; const boxes = [];
  while (o + 8 <= b.length) {
    let size = b.readUInt32BE(o); const type = b.toString("latin1", o + 4, o + 8);
    if (size === 1) size = Number(b.readBigUInt64BE(o + 8));
    boxes.push(type + "@" + o + "+" + size);
    if (size < 8) break; o += size;
  }
  console.log(process.argv[1].split("/").pop(), "top-level boxes:", boxes.join(" "));
' "$OUT/h264_1080p_2997_moov_end.mp4"
node -e '
  const b = require("fs").readFileSync(process.argv[1]);
  const boxes = []; let o = 0;
  while (o + 8 <= b.length) { const s = b.readUInt32BE(o); boxes.push(b.toString("latin1", o + 4, o + 8)); if (s < 8) break; o += s; }
  console.log(process.argv[1].split("/").pop(), "top-level boxes:", boxes.join(" "));
' "$OUT/h264_360p_25_faststart.mp4"
ls -l "$OUT"
