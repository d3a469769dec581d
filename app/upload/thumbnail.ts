/**
 * Thumbnails made in the browser while uploading: a JPEG of at most 480 px
 * on the long side, from an image (createImageBitmap) or from a video's
 * frame at min(1 s, 10 % of its duration). Anything the browser cannot
 * decode gives null: the upload goes on without a thumbnail.
 */

export const THUMBNAIL_MAX_EDGE = 480;
export const THUMBNAIL_QUALITY = 0.8;
const VIDEO_TIMEOUT_MS = 15_000;

type Source = Blob & { name?: string };

/** Width and height scaled so that the long side is at most `max` (never enlarged). */
export function fitWithin(width: number, height: number, max = THUMBNAIL_MAX_EDGE): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The time of the poster frame: one second in, or 10 % of a shorter clip. */
export function posterTime(durationSeconds: number): number {
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) return 0;
  return Math.min(1, durationSeconds * 0.1);
}

async function encode(draw: (ctx: CanvasRenderingContext2D) => void, width: number, height: number): Promise<Blob | null> {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  if (!ctx) return null;
  draw(ctx);
  return new Promise<Blob | null>((resolve) => canvas.toBlob((blob) => resolve(blob), "image/jpeg", THUMBNAIL_QUALITY));
}

export async function imageThumbnail(file: Source): Promise<Blob | null> {
  if (typeof createImageBitmap !== "function") return null;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return null; // e.g. HEIC or RAW in a browser that cannot decode it
  }
  try {
    const size = fitWithin(bitmap.width, bitmap.height);
    return await encode((ctx) => ctx.drawImage(bitmap, 0, 0, size.width, size.height), size.width, size.height);
  } finally {
    bitmap.close();
  }
}

function once(target: HTMLVideoElement, ok: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (value: boolean) => {
      clearTimeout(timer);
      target.removeEventListener(ok, onOk);
      target.removeEventListener("error", onError);
      resolve(value);
    };
    const onOk = () => finish(true);
    const onError = () => finish(false);
    const timer = setTimeout(() => finish(false), timeoutMs);
    target.addEventListener(ok, onOk);
    target.addEventListener("error", onError);
  });
}

export async function videoThumbnail(file: Source): Promise<Blob | null> {
  const video = document.createElement("video");
  // A type the browser says it cannot play (e.g. ProRes .mov) is skipped without loading it.
  if (file.type && video.canPlayType(file.type) === "") return null;
  const url = URL.createObjectURL(file);
  try {
    video.muted = true;
    video.playsInline = true;
    video.preload = "auto";
    video.src = url;
    if (!(await once(video, "loadeddata", VIDEO_TIMEOUT_MS))) return null;
    if (!video.videoWidth || !video.videoHeight) return null; // audio only, or undecodable video track
    const at = posterTime(video.duration);
    if (at > 0) {
      const seeked = once(video, "seeked", VIDEO_TIMEOUT_MS);
      video.currentTime = at;
      if (!(await seeked)) return null;
    }
    const size = fitWithin(video.videoWidth, video.videoHeight);
    return await encode((ctx) => ctx.drawImage(video, 0, 0, size.width, size.height), size.width, size.height);
  } catch {
    return null;
  } finally {
    video.removeAttribute("src");
    video.load();
    URL.revokeObjectURL(url);
  }
}

/** The browser thumbnailer for the upload engine: images and videos; null for anything else. */
export async function makeThumbnail(file: Source): Promise<Blob | null> {
  if (typeof document === "undefined") return null;
  const type = file.type || "";
  if (type.startsWith("image/")) return imageThumbnail(file);
  if (type.startsWith("video/")) return videoThumbnail(file);
  return null;
}
