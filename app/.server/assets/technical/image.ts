import exifr from "exifr";
import { imageSize } from "image-size";
import { problem } from "./problems";
import type { Extraction, Problem, RangeSource, Technical } from "./types";

/** Images are read from their first bytes only; EXIF lives at the start. */
export const IMAGE_HEAD_BYTES = 256 * 1024;

/** Containers exifr reads. */
const EXIF_CONTAINERS = new Set(["jpeg", "tiff", "heic", "avif", "png"]);

const EXIF_TAGS = [
  "Make",
  "Model",
  "DateTimeOriginal",
  "OffsetTimeOriginal",
  "GPSLatitude",
  "GPSLatitudeRef",
  "GPSLongitude",
  "GPSLongitudeRef",
  "GPSAltitude",
  "GPSAltitudeRef",
  "ExifImageWidth",
  "ExifImageHeight",
  "Orientation",
  "ISO",
  "FNumber",
  "ExposureTime",
  "FocalLength",
  "FocalLengthIn35mmFormat",
  "LensMake",
  "LensModel",
];

/**
 * Images: dimensions from image-size and EXIF (make, model, original date,
 * GPS, exposure, lens, orientation) from exifr, both over the first
 * IMAGE_HEAD_BYTES. For JPEG, a shallow structure check over the same bytes reports damaged image
 * data (see checkJpeg). Width and height are as displayed: EXIF orientations
 * 5–8 (turned by 90°) swap them.
 */
export async function extractImage(source: RangeSource, container: string): Promise<Extraction> {
  const technical: Technical = { container };
  const head = await source.read(0, IMAGE_HEAD_BYTES);
  const problems: Problem[] = [];

  let tags: Record<string, unknown> | undefined;
  if (EXIF_CONTAINERS.has(container)) {
    try {
      tags = (await exifr.parse(head, {
        pick: EXIF_TAGS,
        reviveValues: false,
        translateValues: false,
        mergeOutput: true,
      })) as Record<string, unknown> | undefined;
    } catch (e) {
      // exifr throws on inputs it cannot recognise at all; for these
      // containers that means the metadata block is unreadable.
      problems.push(problem("damaged", `the EXIF metadata could not be read (${e instanceof Error ? e.message : String(e)})`));
    }
  }

  try {
    const size = imageSize(head);
    if (size.width > 0 && size.height > 0) {
      technical.width = size.width;
      technical.height = size.height;
    }
  } catch {
    // The frame header may lie beyond the head (very large EXIF blocks): fall back to EXIF.
    const w = num(tags?.ExifImageWidth);
    const h = num(tags?.ExifImageHeight);
    if (w && h) {
      technical.width = w;
      technical.height = h;
    } else if (source.size <= IMAGE_HEAD_BYTES) {
      problems.push(problem("damaged", "the image dimensions could not be read: the image header is missing or damaged"));
    }
  }

  const exif = exifFields(tags);
  if (exif) technical.exif = exif;
  // Orientations 5–8 turn the picture by 90°: width and height are given as displayed.
  if (exif?.orientation && exif.orientation >= 5 && technical.width && technical.height) {
    [technical.width, technical.height] = [technical.height, technical.width];
  }

  if (container === "jpeg") {
    const damage = checkJpeg(head, source.size <= head.byteLength);
    if (damage) problems.push(problem(/truncated/.test(damage) ? "truncated" : "damaged", damage));
  }
  return { technical, problem: problems[0] ? { ...problems[0], detail: problems.map((p) => p.detail).join("; ") } : null };
}

function exifFields(tags: Record<string, unknown> | undefined): Technical["exif"] | undefined {
  if (!tags) return undefined;
  const exif: NonNullable<Technical["exif"]> = {};
  const make = str(tags.Make);
  const model = str(tags.Model);
  if (make) exif.make = make;
  if (model) exif.model = model;
  const date = exifDate(str(tags.DateTimeOriginal), str(tags.OffsetTimeOriginal));
  if (date) exif.dateTimeOriginal = date;
  const lensMake = str(tags.LensMake);
  const lensModel = str(tags.LensModel);
  if (lensMake) exif.lensMake = lensMake;
  if (lensModel) exif.lensModel = lensModel;
  const positive = (v: unknown) => {
    const n = num(v);
    return n !== undefined && n > 0 ? n : undefined;
  };
  const iso = positive(tags.ISO);
  if (iso) exif.iso = Math.round(iso);
  const fNumber = positive(tags.FNumber);
  if (fNumber) exif.fNumber = Math.round(fNumber * 100) / 100;
  const exposure = positive(tags.ExposureTime);
  if (exposure) exif.exposureTime = exposure;
  const focal = positive(tags.FocalLength);
  if (focal) exif.focalLength = Math.round(focal * 100) / 100;
  const focal35 = positive(tags.FocalLengthIn35mmFormat);
  if (focal35) exif.focalLength35mm = Math.round(focal35);
  const orientation = num(tags.Orientation);
  if (orientation && Number.isInteger(orientation) && orientation >= 1 && orientation <= 8) exif.orientation = orientation;
  const lat = typeof tags.latitude === "number" ? tags.latitude : undefined;
  const lon = typeof tags.longitude === "number" ? tags.longitude : undefined;
  if (lat !== undefined && lon !== undefined && Number.isFinite(lat) && Number.isFinite(lon)) {
    const gps: NonNullable<NonNullable<Technical["exif"]>["gps"]> = { latitude: lat, longitude: lon };
    const alt = num(tags.GPSAltitude);
    if (alt !== undefined) {
      const ref = tags.GPSAltitudeRef;
      const below = (ref instanceof Uint8Array ? ref[0] : num(ref)) === 1;
      gps.altitude = below ? -alt : alt;
    }
    exif.gps = gps;
  }
  return Object.keys(exif).length ? exif : undefined;
}

/**
 * EXIF "YYYY:MM:DD HH:MM:SS" as ISO 8601 "YYYY-MM-DDTHH:MM:SS". EXIF dates are
 * camera-local time: there is no zone unless the camera wrote
 * OffsetTimeOriginal ("+09:00"), which is then appended.
 */
function exifDate(value: string | undefined, offset: string | undefined): string | undefined {
  const m = value?.match(/^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/);
  if (!m || m[1] === "0000") return undefined;
  const zone = offset && /^[+-]\d{2}:\d{2}$/.test(offset.trim()) ? offset.trim() : "";
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`;
}

/**
 * Shallow JPEG check over the bytes we hold: the segment chain must start
 * with SOI and be well formed, and inside entropy-coded data a 0xFF byte may
 * only be followed by 0x00 (stuffing), RST0–7, EOI or a real segment marker.
 * Damage that keeps that syntax (wrong coefficient bits) needs a full decode
 * and is not detected; data after the first IMAGE_HEAD_BYTES is not examined.
 * When `whole` (the head is the entire file) a missing EOI means truncation.
 */
export function checkJpeg(bytes: Uint8Array, whole: boolean): string | null {
  const n = bytes.byteLength;
  if (n < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return "the JPEG start-of-image marker is missing: the file is damaged";
  let i = 2;
  let inScan = false;
  while (i < n) {
    if (inScan) {
      if (bytes[i] !== 0xff) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < n && bytes[j] === 0xff) j++;
      if (j >= n) break;
      const m = bytes[j]!;
      if (m === 0x00 || (m >= 0xd0 && m <= 0xd7)) {
        i = j + 1;
        continue;
      }
      if (m === 0xd9) return null; // EOI
      if (m < 0xc0) return `the JPEG image data is damaged at byte ${i} (invalid marker 0xFF${hex(m)})`;
      inScan = false;
      i = j - 1; // re-read as a segment marker
      continue;
    }
    if (bytes[i] !== 0xff) return `the JPEG segment structure is damaged at byte ${i}`;
    let j = i + 1;
    while (j < n && bytes[j] === 0xff) j++; // fill bytes
    if (j >= n) break;
    const m = bytes[j]!;
    if (m === 0xd9) return null;
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      i = j + 1; // markers without a length
      continue;
    }
    if (m < 0xc0) return `the JPEG segment structure is damaged at byte ${i} (invalid marker 0xFF${hex(m)})`;
    if (j + 2 >= n) break;
    const length = (bytes[j + 1]! << 8) | bytes[j + 2]!;
    if (length < 2) return `the JPEG segment structure is damaged at byte ${i} (segment length ${length})`;
    i = j + 1 + length;
    if (m === 0xda) inScan = true;
  }
  return whole ? "the JPEG file ends before its end-of-image marker: the file is truncated" : null;
}

function hex(v: number): string {
  return v.toString(16).toUpperCase().padStart(2, "0");
}

function str(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const s = v.replace(/\0+$/, "").trim();
  return s || undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (Array.isArray(v) && typeof v[0] === "number") return v[0];
  return undefined;
}
