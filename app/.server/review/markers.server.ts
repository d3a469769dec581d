import { and, asc, eq, getTableColumns, or, sql } from "drizzle-orm";
import type { z } from "zod";
import { commitAudited, recordAudit, type AuditContext } from "../audit/record.server";
import { denyAccess } from "../audit/deny.server";
import { CSV_BOM, csvLine } from "../csv/csv.server";
import { requireAssetPermission } from "../assets/assets.server";
import { markers, mediaJobs, type assets } from "../db/tenant-schema";
import { tenantData, type TenantData } from "../db/tenant-data.server";
import { rawStatement } from "../db/raw-statement.server";
import { inJsonArray } from "../db/chunks.server";
import { fail } from "../http/errors.server";
import { checkField } from "../http/validation.server";
import { newId } from "../ids/ids";
import { audioMarkerRate, clipTimecode, rateFromFps, type FrameRate } from "~/media/timecode";
import { markersToEdl } from "~/media/edl";
import {
  CreateMarkerBodySchema,
  DEFAULT_MARKER_COLOR,
  MARKER_LIMITS,
  MarkerColorSchema,
  MarkerShapesSchema,
  ReplyBodySchema,
  UpdateMarkerBodySchema,
  type Marker,
} from "~/schemas/review";

/**
 * Markers (付箋, issue #14): timecoded notes on an asset, with shapes drawn over the picture and
 * replies. Frames are integers at the rate stored with each marker (the asset's, when it was
 * written); timecodes are derived for display and export only.
 *
 * Who may do what: reading needs `asset.view`; writing, replying and resolving need
 * `marker.edit`; changing or deleting someone else's marker also needs `project.manage_members`
 * (project and tenant admins).
 */

type Ctx = AuditContext;
type Row = typeof markers.$inferSelect;
type AssetRow = typeof assets.$inferSelect;

const MODERATE = "project.manage_members";
/** Audio without a timecode rate of its own is counted at 30 fps (as the player does). */

/** The asset's timebase for markers: its rate and how many frames it has (when known). */
async function markerTimebase(data: TenantData, asset: AssetRow) {
  const technical = JSON.parse(asset.technical || "{}") as { frameRate?: number; durationSeconds?: number };
  const job = await data.db
    .select({ outputs: mediaJobs.outputs })
    .from(mediaJobs)
    .where(and(eq(mediaJobs.tenantId, data.tenantId), eq(mediaJobs.assetId, asset.id)))
    .get();
  const proxy = (JSON.parse(job?.outputs ?? "{}") as { proxy?: { rate?: FrameRate; frames?: number } }).proxy;
  const fromFps = typeof technical.frameRate === "number" ? rateFromFps(technical.frameRate) : null;
  let rate: FrameRate | null;
  if (asset.kind === "video") rate = proxy?.rate ?? fromFps;
  else if (asset.kind === "audio") rate = audioMarkerRate(technical.frameRate);
  else if (asset.kind === "image") rate = { num: 1, den: 1 };
  else rate = null;
  if (!rate) return null;
  const frames =
    asset.kind === "image"
      ? 1
      : (proxy?.frames ?? (typeof technical.durationSeconds === "number" ? Math.ceil((technical.durationSeconds * rate.num) / rate.den) : null));
  return { rate, frames };
}

type Timebase = NonNullable<Awaited<ReturnType<typeof markerTimebase>>>;

function parseShapes(json: string | null) {
  if (!json) return null;
  const parsed = MarkerShapesSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}

const authorOf = (r: Row) => ({ type: r.authorType, id: r.authorId, name: r.authorName });

/** Rows (markers and replies, in creation order) as the contract's markers, each with its replies. */
export function markerViews(rows: readonly Row[], startTimecode: string | null): Marker[] {
  const replies = new Map<string, Row[]>();
  for (const r of rows) if (r.parentId) replies.set(r.parentId, [...(replies.get(r.parentId) ?? []), r]);
  return rows
    .filter((r) => !r.parentId)
    .map((r) => {
      const rate = { num: r.rateNum ?? 1, den: r.rateDen ?? 1 };
      const clock = clipTimecode(rate, startTimecode);
      return {
        id: r.id,
        assetId: r.assetId,
        startFrame: r.startFrame ?? 0,
        endFrame: r.endFrame,
        rate,
        startTimecode: clock.of(r.startFrame ?? 0),
        endTimecode: r.endFrame === null ? null : clock.of(r.endFrame),
        text: r.text,
        color: MarkerColorSchema.catch(DEFAULT_MARKER_COLOR).parse(r.color),
        shapes: parseShapes(r.shapes),
        resolved: r.resolved,
        author: authorOf(r),
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        replies: (replies.get(r.id) ?? []).map((c) => ({
          id: c.id,
          parentId: r.id,
          text: c.text,
          author: authorOf(c),
          createdAt: c.createdAt,
          updatedAt: c.updatedAt,
        })),
      };
    });
}

const startTimecodeOf = (asset: AssetRow) => {
  const technical = JSON.parse(asset.technical || "{}") as { startTimecode?: unknown };
  return typeof technical.startTimecode === "string" ? technical.startTimecode : null;
};

function assetMarkersStatement(data: TenantData, assetId: string) {
  return data.db
    .select()
    .from(markers)
    .where(and(eq(markers.tenantId, data.tenantId), eq(markers.assetId, assetId)))
    .orderBy(asc(markers.startFrame), asc(markers.createdAt), asc(markers.id));
}

/** GET /assets/{id}/markers: by start frame, replies under their marker. */
export async function listMarkers(ctx: Ctx, assetId: string) {
  const { data, asset } = await requireAssetPermission(ctx, assetId, "asset.view");
  return { asset, items: await markersOf(data, asset) };
}

/** The markers of an asset the caller may see (the team's, or a share guest's). */
export async function markersOf(data: TenantData, asset: AssetRow) {
  return markerViews(await assetMarkersStatement(data, asset.id).all(), startTimecodeOf(asset));
}

/** Frames inside the asset (when its length is known) and a range only on time-based media. */
function checkFrames(timebase: Timebase, asset: AssetRow, startFrame: number, endFrame: number | null | undefined) {
  const last = timebase.frames === null ? null : timebase.frames - 1;
  if (asset.kind === "image" && (startFrame !== 0 || (endFrame ?? 0) !== 0)) {
    fail("validation_failed", "A still has one frame: 0.", { fields: [{ path: "startFrame", message: "A still has one frame: 0." }] });
  }
  if (last !== null && startFrame > last)
    fail("validation_failed", "The marker starts after the end.", { fields: [{ path: "startFrame", message: `At most ${last}.` }] });
  if (last !== null && endFrame != null && endFrame > last)
    fail("validation_failed", "The marker ends after the end.", { fields: [{ path: "endFrame", message: `At most ${last}.` }] });
  if (endFrame != null && endFrame < startFrame)
    fail("validation_failed", "The end is before the start.", { fields: [{ path: "endFrame", message: "The end is before the start." }] });
}

async function requireTimebase(data: TenantData, asset: AssetRow): Promise<Timebase> {
  const timebase = await markerTimebase(data, asset);
  if (!timebase) fail("conflict", "This file has no timeline to mark (its frame rate is not known).");
  return timebase;
}

export type MarkerAuthor = Pick<Row, "authorType" | "authorId" | "authorName">;
/** Who an audit event of a guest's marker names (absent: the signed-in user). */
type ActorOverride = { actor?: { type: "guest"; id: string; email: string | null }; details?: Record<string, unknown> };

const authorColumns = (ctx: Ctx): MarkerAuthor => {
  if (ctx.principal.type !== "tenant_user") fail("unauthenticated", "Sign in first.");
  return { authorType: "user" as const, authorId: ctx.principal.userId, authorName: ctx.principal.name || ctx.principal.email };
};

/**
 * Inserts a marker or reply only while the asset has fewer than the limit, in one statement, so a
 * burst cannot pass it; then reads it back (absent: the limit was reached).
 */
async function insertWithinLimit(
  ctx: Ctx,
  data: TenantData,
  row: typeof markers.$inferInsert,
  action: string,
  details: Record<string, unknown>,
  as: ActorOverride = {},
) {
  const columns = Object.keys(row) as (keyof typeof row)[];
  const names = sql.join(
    columns.map((c) => sql.identifier(getTableColumns(markers)[c].name)),
    sql`, `,
  );
  const values = sql.join(
    columns.map((c) => sql`${row[c] as unknown}`),
    sql`, `,
  );
  const room = sql`(SELECT COUNT(*) FROM ${markers} WHERE tenant_id = ${data.tenantId} AND asset_id = ${row.assetId}) < ${MARKER_LIMITS.perAsset}`;
  await commitAudited(ctx, data, [rawStatement(data.db, sql`INSERT INTO ${markers} (${names}) SELECT ${values} WHERE ${room}`)], {
    action,
    ...(as.actor ? { actor: as.actor } : {}),
    target: { type: "marker", id: row.id! },
    details: { assetId: row.assetId, ...details, ...as.details },
    onlyIf: sql`EXISTS (SELECT 1 FROM ${markers} WHERE tenant_id = ${data.tenantId} AND id = ${row.id!})`,
  });
  const stored = await data.db
    .select()
    .from(markers)
    .where(and(eq(markers.tenantId, data.tenantId), eq(markers.id, row.id!)))
    .get();
  if (!stored) fail("conflict", `An asset holds at most ${MARKER_LIMITS.perAsset} markers and replies.`);
  return stored;
}

/** POST /assets/{id}/markers (marker.edit). */
export async function createMarker(ctx: Ctx, assetId: string, body: z.output<typeof CreateMarkerBodySchema>): Promise<Marker> {
  const { data, asset } = await requireAssetPermission(ctx, assetId, "marker.edit");
  return writeMarker(ctx, data, asset, body, authorColumns(ctx));
}

/** A new marker on an asset the caller may mark, by its author (a user, or a share's guest). */
export async function writeMarker(
  ctx: Ctx,
  data: TenantData,
  asset: AssetRow,
  body: z.output<typeof CreateMarkerBodySchema>,
  author: MarkerAuthor,
  as: ActorOverride = {},
): Promise<Marker> {
  body = checkField(CreateMarkerBodySchema, body, "");
  const timebase = await requireTimebase(data, asset);
  checkFrames(timebase, asset, body.startFrame, body.endFrame);
  const stored = await insertWithinLimit(
    ctx,
    data,
    {
      id: newId("marker"),
      tenantId: data.tenantId,
      projectId: asset.projectId,
      assetId: asset.id,
      startFrame: body.startFrame,
      endFrame: body.endFrame ?? null,
      rateNum: timebase.rate.num,
      rateDen: timebase.rate.den,
      text: body.text,
      color: body.color ?? DEFAULT_MARKER_COLOR,
      shapes: body.shapes ? JSON.stringify(body.shapes) : null,
      ...author,
    },
    "marker.created",
    { projectId: asset.projectId, startFrame: body.startFrame, endFrame: body.endFrame ?? null, shapes: body.shapes?.items.length ?? 0 },
    as,
  );
  return markerViews([stored], startTimecodeOf(asset))[0]!;
}

/** A marker or reply of the caller's tenant with its asset, under the asset's own permission check. */
async function requireMarker(ctx: Ctx, markerId: string, capability: "asset.view" | "marker.edit") {
  if (ctx.principal.type !== "tenant_user") fail("unauthenticated", "Sign in first.");
  const data = await tenantData(ctx);
  const row = await data.db
    .select()
    .from(markers)
    .where(and(eq(markers.tenantId, data.tenantId), eq(markers.id, markerId)))
    .get();
  if (!row) fail("not_found", "No such marker.");
  const access = await requireAssetPermission(ctx, row.assetId, capability);
  return { ...access, row };
}

/** The author, or a project admin (a refusal is audited as access.denied, like every other). */
async function requireAuthorOrModerator(ctx: Ctx, row: Row, capabilities: ReadonlySet<string>) {
  const mine = row.authorType === "user" && ctx.principal.type === "tenant_user" && row.authorId === ctx.principal.userId;
  if (mine || capabilities.has(MODERATE)) return;
  await denyAccess(ctx, {
    code: "forbidden",
    message: "Only its author or a project admin may change or delete this marker.",
    target: { type: "marker", id: row.id },
    details: { required: MODERATE, what: "someone else's marker" },
  });
}

/** POST /markers/{id}/replies (marker.edit): a reply to a marker (not to a reply). */
export async function replyToMarker(ctx: Ctx, markerId: string, body: z.output<typeof ReplyBodySchema>) {
  const { data, asset, row } = await requireMarker(ctx, markerId, "marker.edit");
  return writeReply(ctx, data, asset, row, body, authorColumns(ctx));
}

/** The marker `markerId` of `asset` (a guest's reply names both: the marker must be on an asset of the share). */
export async function markerOfAsset(data: TenantData, asset: AssetRow, markerId: string) {
  const row = await data.db
    .select()
    .from(markers)
    .where(and(eq(markers.tenantId, data.tenantId), eq(markers.assetId, asset.id), eq(markers.id, markerId)))
    .get();
  if (!row) fail("not_found", "No such marker.");
  return row;
}

/** A reply to a marker (not to a reply) by its author (a user, or a share's guest). */
export async function writeReply(
  ctx: Ctx,
  data: TenantData,
  asset: AssetRow,
  row: Row,
  body: z.output<typeof ReplyBodySchema>,
  author: MarkerAuthor,
  as: ActorOverride = {},
) {
  body = checkField(ReplyBodySchema, body, "");
  if (row.parentId) fail("conflict", "Reply to the marker, not to a reply.");
  const stored = await insertWithinLimit(
    ctx,
    data,
    { id: newId("marker"), tenantId: data.tenantId, projectId: asset.projectId, assetId: asset.id, parentId: row.id, text: body.text, ...author },
    "marker.replied",
    { projectId: asset.projectId, markerId: row.id },
    as,
  );
  return { id: stored.id, parentId: row.id, text: stored.text, author: authorOf(stored), createdAt: stored.createdAt, updatedAt: stored.updatedAt };
}

/** PATCH /markers/{id}: frames, text, colour, shapes (author or admin); resolved (anyone with marker.edit). */
export async function updateMarker(ctx: Ctx, markerId: string, body: z.output<typeof UpdateMarkerBodySchema>): Promise<Marker> {
  const { data, asset, row, capabilities } = await requireMarker(ctx, markerId, "marker.edit");
  body = checkField(UpdateMarkerBodySchema, body, "");
  const { resolved, ...own } = body;
  if (Object.keys(own).length > 0) await requireAuthorOrModerator(ctx, row, capabilities);
  if (
    row.parentId &&
    (resolved !== undefined || own.startFrame !== undefined || own.endFrame !== undefined || own.shapes !== undefined || own.color !== undefined)
  ) {
    fail("validation_failed", "A reply has only its text.", { fields: [{ path: "", message: "A reply has only its text." }] });
  }
  const startFrame = own.startFrame ?? row.startFrame ?? 0;
  const endFrame = own.endFrame === undefined ? row.endFrame : own.endFrame;
  if (!row.parentId && (own.startFrame !== undefined || own.endFrame !== undefined)) {
    checkFrames(await requireTimebase(data, asset), asset, startFrame, endFrame);
  }
  const changes = {
    ...(own.startFrame !== undefined ? { startFrame } : {}),
    ...(own.endFrame !== undefined ? { endFrame: own.endFrame ?? null } : {}),
    ...(own.text !== undefined ? { text: own.text } : {}),
    ...(own.color !== undefined ? { color: own.color } : {}),
    ...(own.shapes !== undefined ? { shapes: own.shapes ? JSON.stringify(own.shapes) : null } : {}),
    ...(resolved !== undefined ? { resolved } : {}),
    updatedAt: new Date().toISOString(),
  };
  const where = and(eq(markers.tenantId, data.tenantId), eq(markers.id, row.id));
  await commitAudited(ctx, data, [data.db.update(markers).set(changes).where(where)], {
    action: "marker.updated",
    target: { type: "marker", id: row.id },
    details: { assetId: asset.id, projectId: asset.projectId, changed: Object.keys(body) },
  });
  const rows = await data.db
    .select()
    .from(markers)
    .where(and(eq(markers.tenantId, data.tenantId), or(eq(markers.id, row.parentId ?? row.id), eq(markers.parentId, row.parentId ?? row.id))))
    .orderBy(asc(markers.createdAt), asc(markers.id))
    .all();
  return markerViews(rows, startTimecodeOf(asset))[0]!;
}

/** DELETE /markers/{id} (author or admin): a marker goes with its replies. */
export async function deleteMarker(ctx: Ctx, markerId: string) {
  const { data, asset, row, capabilities } = await requireMarker(ctx, markerId, "marker.edit");
  await requireAuthorOrModerator(ctx, row, capabilities);
  await commitAudited(
    ctx,
    data,
    [data.db.delete(markers).where(and(eq(markers.tenantId, data.tenantId), or(eq(markers.id, row.id), eq(markers.parentId, row.id))))],
    {
      action: "marker.deleted",
      target: { type: "marker", id: row.id },
      details: { assetId: asset.id, projectId: asset.projectId, reply: row.parentId !== null },
    },
  );
}

/** The statement removing the markers of deleted assets (in the assets' delete batch). */
export function deleteMarkersStatement(data: Pick<TenantData, "db" | "tenantId">, assetIds: readonly string[]) {
  return data.db.delete(markers).where(and(eq(markers.tenantId, data.tenantId), inJsonArray(markers.assetId, assetIds)));
}

const EXPORT_COLUMNS = [
  "marker_id",
  "start_frame",
  "end_frame",
  "start_timecode",
  "end_timecode",
  "duration_frames",
  "frame_rate",
  "text",
  "color",
  "resolved",
  "author",
  "created_at",
  "replies",
] as const;

/** A frame at another rate, on the nearest frame (an asset's rate can be corrected after markers were written). */
const atRate = (frame: number, from: FrameRate, to: FrameRate) =>
  from.num === to.num && from.den === to.den ? frame : Math.round((frame * to.num * from.den) / (to.den * from.num));

/**
 * GET /assets/{id}/markers/export: CSV (UTF-8 with BOM, formula-safe cells, timecodes from the
 * asset's start timecode) or an EDL of the markers (app/media/edl.ts). Audited: it takes review
 * notes out of Kura.
 */
export async function exportMarkers(ctx: Ctx, assetId: string, format: "csv" | "edl") {
  const { data, asset } = await requireAssetPermission(ctx, assetId, "asset.view");
  const items = markerViews(await assetMarkersStatement(data, asset.id).all(), startTimecodeOf(asset));
  let body: string;
  if (format === "edl") {
    const timebase = await requireTimebase(data, asset);
    body = markersToEdl({
      title: asset.name,
      rate: timebase.rate,
      startTimecode: startTimecodeOf(asset),
      markers: items.map((m) => ({
        startFrame: atRate(m.startFrame, m.rate, timebase.rate),
        endFrame: m.endFrame === null ? null : atRate(m.endFrame, m.rate, timebase.rate),
        text: m.text,
        color: m.color,
      })),
    });
  } else {
    body =
      CSV_BOM +
      csvLine(EXPORT_COLUMNS) +
      items
        .map((m) =>
          csvLine([
            m.id,
            m.startFrame,
            m.endFrame,
            m.startTimecode,
            m.endTimecode,
            (m.endFrame ?? m.startFrame) - m.startFrame + 1,
            `${m.rate.num}/${m.rate.den}`,
            m.text,
            m.color,
            m.resolved ? "yes" : "no",
            m.author.name,
            m.createdAt,
            m.replies.map((r) => `${r.author.name}: ${r.text}`).join("\n"),
          ]),
        )
        .join("");
  }
  await recordAudit(ctx, data, {
    action: "marker.exported",
    target: { type: "asset", id: asset.id, name: asset.name },
    details: { projectId: asset.projectId, format, markers: items.length },
  });
  return {
    body,
    contentType: format === "edl" ? "text/plain; charset=utf-8" : "text/csv; charset=utf-8",
    filename: `${asset.name}.markers.${format}`,
  };
}
