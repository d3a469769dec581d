#!/usr/bin/env bash
# Regenerates the media fixtures in test/fixtures/media/ used by
# test/unit/technical-metadata.test.ts (parsers, in Node) and
# test/integration/technical-pipeline.test.ts (upload → processing → API, in workerd).
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

# 3d. Professional QuickTime: every ProRes profile (prores_ks 0–5: apco apcs apcn
#     apch ap4h ap4x), 160x90 @ 25, 2 frames, 24-bit PCM (in24, little-endian
#     via `enda`) and a tmcd start timecode. The 422 (apcn) file has two mono
#     audio tracks, as cameras write them.
for p in 0 1 2 3 4 5; do
  names=(proxy lt standard hq 4444 4444xq)
  pix=yuv422p10le; [ "$p" -ge 4 ] && pix=yuva444p10le
  if [ "$p" -eq 2 ]; then
    "${FF[@]}" -f lavfi -i "testsrc2=size=160x90:rate=25" \
      -f lavfi -i "sine=frequency=440:sample_rate=48000" -f lavfi -i "sine=frequency=880:sample_rate=48000" \
      -map 0:v -map 1:a -map 2:a -frames:v 2 -t 0.08 \
      -c:v prores_ks -profile:v "$p" -pix_fmt "$pix" -c:a pcm_s24le -ac 1 -timecode '10:00:00:00' \
      "${BITEXACT[@]}" -f mov "$OUT/prores_${names[$p]}_pcm24_tc.mov"
  else
    "${FF[@]}" -f lavfi -i "testsrc2=size=160x90:rate=25" -f lavfi -i "sine=frequency=440:sample_rate=48000" \
      -frames:v 2 -t 0.08 \
      -c:v prores_ks -profile:v "$p" -pix_fmt "$pix" -c:a pcm_s24le -ac 2 -timecode '10:00:00:00' \
      "${BITEXACT[@]}" -f mov "$OUT/prores_${names[$p]}_pcm24_tc.mov"
  fi
done

# 3d'. PCM sample entries in QuickTime (audio only, 20 ms stereo 48 kHz): in32 and
#      fl32 little-endian (`enda`), fl64 and twos big-endian.
for c in pcm_s32le pcm_f32le pcm_f64be pcm_s16be; do
  "${FF[@]}" -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=0.02" \
    -ac 2 -c:a "$c" "${BITEXACT[@]}" -f mov "$OUT/mov_${c}.mov"
done

# 3e. DNxHD 36 (1920x1080 23.976, the smallest DNxHD; one frame, no audio) with a
#     start timecode; DNxHR LB at 256x144 (DNxHR allows any size).
"${FF[@]}" -f lavfi -i "testsrc2=size=1920x1080:rate=24000/1001" \
  -frames:v 1 -c:v dnxhd -b:v 36M -pix_fmt yuv422p -timecode '00:59:58:00' \
  "${BITEXACT[@]}" -f mov "$OUT/dnxhd36_1080p_2398_tc.mov"
"${FF[@]}" -f lavfi -i "testsrc2=size=256x144:rate=25" -frames:v 2 \
  -c:v dnxhd -profile:v dnxhr_lb -pix_fmt yuv422p "${BITEXACT[@]}" -f mov "$OUT/dnxhr_lb_144p.mov"

# 3f. MXF OP1a: XDCAM HD422-style (MPEG-2 4:2:2 1920x1080 25, -g 1; ffmpeg still labels it
#     422P@HL Long GOP in the essence coding UL; 24-bit
#     PCM mono, start timecode 01:00:00:00) and AVC-Intra 50-style (H.264
#     High 10 Intra 4:2:0, 1440x1080, one frame).
"${FF[@]}" -f lavfi -i "testsrc2=size=1920x1080:rate=25" -f lavfi -i "sine=frequency=440:sample_rate=48000" \
  -frames:v 2 -t 0.08 -c:v mpeg2video -pix_fmt yuv422p -q:v 31 -g 1 -c:a pcm_s24le -ac 1 -timecode '01:00:00:00' \
  "${BITEXACT[@]}" -f mxf "$OUT/xdcam422_1080p25_tc.mxf"
"${FF[@]}" -f lavfi -i "testsrc2=size=1440x1080:rate=25" -frames:v 1 \
  -c:v libx264 -pix_fmt yuv420p10le -x264-params "avcintra-class=50:threads=1" \
  "${BITEXACT[@]}" -f mxf "$OUT/avcintra50_1080p25.mxf"

# 3g. WAV: 24-bit stereo (ffmpeg writes WAVE_FORMAT_EXTENSIBLE for > 16 bits),
#     32-bit float (extensible, IEEE float sub-format), and a Broadcast WAV with a
#     `bext` TimeReference of 172872000 samples at 48 kHz (3601.5 s: 01:00:01:15 at 30 fps).
"${FF[@]}" -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=0.25" \
  -ac 2 -c:a pcm_s24le "${BITEXACT[@]}" "$OUT/wav_24bit_extensible.wav"
"${FF[@]}" -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=0.25" \
  -ac 1 -c:a pcm_f32le "${BITEXACT[@]}" "$OUT/wav_float32_extensible.wav"
"${FF[@]}" -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=0.25" \
  -ac 1 -c:a pcm_s16le -write_bext 1 -metadata time_reference=172872000 \
  -fflags +bitexact -flags:a +bitexact -threads 1 "$OUT/bwf_timeref_01000115.wav"

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

# 5b. Random bytes with a media name: must be "unknown format", not a plain file.
cp "$OUT/unknown.bin" "$OUT/random_bytes.mov"

# 6. Real camera files (CC BY-SA 4.0, see SOURCES.md), copied unmodified.
for f in jpg_gps_DSCN0010.jpg jpg_Canon_40D.jpg jpg_corrupted.jpg jpg_invalid_image01137.jpg; do
  cp "$REAL/$f" "$OUT/$f"
  chmod 644 "$OUT/$f"
done
# The iPhone HEIC is 2.1 MB: too big to commit whole. Its first 256 KiB + 1
# byte are kept: the reader looks at the first 256 KiB of an image only
# (ftyp, meta with the Exif item), so it reads this file exactly as the whole
# one, and the extra byte keeps it "larger than what is read".
head -c 262145 "$REAL/heic_mobile_iphone_13_pro_max.HEIC" > "$OUT/heic_iphone_13_pro_max_head256k.heic"

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
