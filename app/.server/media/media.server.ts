import { and, eq } from "drizzle-orm";
import { recordAudit, type AuditContext } from "../audit/record.server";
import { mediaJobs } from "../db/tenant-schema";
import { fail } from "../http/errors.server";
import { rangedObjectResponse } from "../http/ranged.server";
import { requireAssetPermission } from "../assets/assets.server";
import { FINISHING, rearmJob, type MediaJobRow } from "./jobs.server";
import type { TenantData } from "../db/tenant-data.server";
import { OUTPUTS } from "./outputs.server";
import { mediaErrorCode, type MediaState, type OutputMeta } from "~/schemas/media";

/**
 * What users do with derived objects (ADR 0030). Watching needs only `asset.view`: the player
 * streams the proxy (never the original), so a viewer can watch what they may not download. The
 * proxy as a file is `asset.download_proxy` (thumbnails.server.ts serveProxy). Retrying the job is
 * for admins (tenant or project admin: `project.manage_members`).
 */

type Ctx = AuditContext;

const RETRY_CAPABILITY = "project.manage_members";

type StoredOutputs = Partial<Record<keyof typeof OUTPUTS, OutputMeta & { size: number; contentType: string }>>;

function parseOutputs(json: string): StoredOutputs {
  try {
    return JSON.parse(json) as StoredOutputs;
  } catch {
    return {};
  }
}

const api = (assetId: string, path: string) => `/api/v1/assets/${assetId}/${path}`;

/** The asset's media job (one per asset), if it has one. */
export function mediaJobOf(data: TenantData, assetId: string) {
  return data.db
    .select()
    .from(mediaJobs)
    .where(and(eq(mediaJobs.tenantId, data.tenantId), eq(mediaJobs.assetId, assetId)))
    .get();
}

/**
 * The player's view of a job: its state and the derived objects at `urlOf(path)` (the team's API
 * paths, or a share's guest paths).
 */
export function mediaStateOf(
  asset: { status: string },
  job: MediaJobRow | undefined,
  urlOf: (path: string) => string,
  can: { downloadProxy: boolean; retry: boolean },
): MediaState {
  // Outputs of a previous success stay usable while a retry runs.
  const outputs = job ? parseOutputs(job.outputs) : {};
  const p = outputs.proxy;
  const f = outputs.filmstrip;
  return {
    status: job?.status ?? (asset.status === "processing" ? "queued" : "none"),
    stage: job?.status === "working" ? ((job.stage === FINISHING ? "storing" : job.stage) as MediaState["stage"]) : null,
    errorCode: job?.status === "failed" ? mediaErrorCode(job.errorCode) : null,
    attempt: job?.attempt ?? 0,
    updatedAt: job?.updatedAt ?? null,
    proxy: p
      ? {
          url: urlOf("stream"),
          contentType: p.contentType,
          size: p.size,
          width: p.width ?? null,
          height: p.height ?? null,
          frames: p.frames ?? null,
          rate: p.rate ?? null,
          hasAudio: p.hasAudio ?? p.contentType.startsWith("audio/"),
        }
      : null,
    poster: outputs.poster ? { url: urlOf("derived/poster"), width: outputs.poster.width ?? null, height: outputs.poster.height ?? null } : null,
    filmstrip:
      f && f.step && f.tiles && f.columns && f.rows && f.tileWidth && f.tileHeight
        ? {
            url: urlOf("derived/filmstrip"),
            step: f.step,
            tiles: f.tiles,
            columns: f.columns,
            rows: f.rows,
            tileWidth: f.tileWidth,
            tileHeight: f.tileHeight,
          }
        : null,
    waveform: outputs.waveform ? { url: urlOf("derived/waveform") } : null,
    preview: outputs.preview ? { url: urlOf("derived/preview"), width: outputs.preview.width ?? null, height: outputs.preview.height ?? null } : null,
    canDownloadProxy: can.downloadProxy,
    canRetry: can.retry,
  };
}

/** GET /assets/{id}/media: the job's state and the derived objects the player uses. */
export async function mediaState(ctx: Ctx, assetId: string): Promise<MediaState> {
  const { data, asset, capabilities } = await requireAssetPermission(ctx, assetId, "asset.view");
  const job = await mediaJobOf(data, asset.id);
  return mediaStateOf(asset, job, (path) => api(asset.id, path), {
    downloadProxy: capabilities.has("asset.download_proxy"),
    retry: capabilities.has(RETRY_CAPABILITY),
  });
}

/** GET /assets/{id}/stream: the proxy inline for the player, with Range (asset.view; not a download, not audited per seek). */
export async function streamProxy(ctx: Ctx, assetId: string, request: Request) {
  const { data, asset } = await requireAssetPermission(ctx, assetId, "asset.view");
  return proxyStreamResponse(data, asset.id, request);
}

/** The proxy of an asset the caller may see, inline with Range (not a download). */
export async function proxyStreamResponse(data: TenantData, assetId: string, request: Request) {
  const headers = new Headers({ "Content-Type": "video/mp4", "Content-Disposition": "inline", "Cache-Control": "private, no-cache" });
  const served = await rangedObjectResponse(data.storage, OUTPUTS.proxy.key(assetId), request, headers, { storedTypes: OUTPUTS.proxy.types });
  if (!served) fail("not_found", "This asset has no playable preview yet.");
  return served.response;
}

const DERIVED_TYPES = { poster: "image/jpeg", filmstrip: "image/jpeg", preview: "image/jpeg", waveform: "application/json" } as const;

/** GET /assets/{id}/derived/{name}: the poster, filmstrip, waveform peaks or still preview (asset.view). */
export async function serveDerived(ctx: Ctx, assetId: string, name: DerivedName, request: Request) {
  const { data, asset } = await requireAssetPermission(ctx, assetId, "asset.view");
  return derivedResponse(data, asset.id, name, request);
}

export type DerivedName = keyof typeof DERIVED_TYPES;

/** A derived object of an asset the caller may see, with Range. */
export async function derivedResponse(data: TenantData, assetId: string, name: DerivedName, request: Request) {
  const headers = new Headers({ "Content-Type": DERIVED_TYPES[name], "Cache-Control": "private, max-age=300" });
  const served = await rangedObjectResponse(data.storage, OUTPUTS[name].key(assetId), request, headers);
  if (!served) fail("not_found", `This asset has no ${name}.`);
  return served.response;
}

/** POST /assets/{id}/media/retry: an admin starts the job over, whatever its attempts so far. */
export async function retryMedia(ctx: Ctx, assetId: string): Promise<MediaState> {
  const { data, asset } = await requireAssetPermission(ctx, assetId, RETRY_CAPABILITY);
  if (asset.status === "processing") fail("conflict", "The asset is still being processed.");
  const job = await mediaJobOf(data, asset.id);
  if (!job) fail("conflict", "The asset has no preview job yet; it is created when processing ends.");
  if (job.status === "queued" || job.status === "working") fail("conflict", "The preview is being made; wait for it to finish or fail.");
  if (!(await rearmJob(ctx, data, job, null))) fail("conflict", "The job changed meanwhile; reload and try again.");
  await recordAudit(ctx, data, {
    action: "asset.media_retried",
    target: { type: "asset", id: asset.id, name: asset.name },
    details: { projectId: asset.projectId, previousStatus: job.status, attempt: job.attempt + 1 },
  });
  return mediaState(ctx, asset.id);
}
