import { auditLogOf } from "../audit/record.server";
import { stagingShard, tenantPlacement } from "./placement.server";
import type { KuraEnv } from "../env/env";
import { randomSecret, sha256Hex } from "../auth/crypto.server";
import { backupRunPrefix } from "../storage/keys.server";
import { faultPoint } from "../testing/faults.server";
import { lineRuns } from "../db/chunks.server";
import type { VerifyScratch } from "./verify-scratch.server";
import { backedUpTables, quotedIdentifier as quoted, stagedCounts, type BackedUpTable } from "./tables.server";
import { existingTenantDataKey, open, seal, TenantKeyUnavailable, tenantDataKey } from "./tenant-keys.server";

/**
 * One backup run of one tenant, as bounded steps (ADR 0025): `startBackup` stages a consistent
 * copy inside D1, each `backupStep` seals one part of it into the BACKUPS bucket, the last step
 * writes the manifest and empties the staging rows. The state between steps is plain data, so
 * the job object can keep it in its storage and resume a run that was cut off.
 *
 * Format 2 (ADR 0029): a row is a JSON array of its values in the order of the manifest's
 * `columns` for its table (format 1 wrote objects, the column names repeated in every row: about
 * 30% of the bytes). Both formats restore.
 */

export const BACKUP_FORMAT = 2;
/** A part's plain size before sealing (a step reads at most this much into memory). */
export const PART_BYTES = 4 * 1024 * 1024;
/**
 * The copy is staged as groups of JSON lines of about this many bytes, one staging row each
 * (ADR 0029): reading, framing and deleting it then costs a few thousand rows, not one per row of
 * the tenant. Far below D1's 2 MB per value, whatever a single row's escaping adds.
 */
export const GROUP_BYTES = 64 * 1024;
/** Row parts written per step (the next part is read while the last one uploads): at most 12 MiB of lines in memory. */
const ROW_PARTS_PER_STEP = 3;
/** Parts verified per step (fetched and opened together): at most 16 MiB of parts in memory. */
const VERIFY_PARTS_PER_STEP = 4;
/** Audit events read per call of the audit object. */
const EVENTS_PER_READ = 500;

export type BackupPart = { name: string; sha256: string; bytes: number; rows: number };

export type BackupManifest = {
  /** 1: rows as JSON objects; 2: rows as JSON arrays in the order of `columns`. */
  format: 1 | typeof BACKUP_FORMAT;
  tenantId: string;
  generation: string;
  runId: string;
  createdAt: string;
  /** Tenant migrations applied in the shard when the copy was taken. */
  schemaVersion: number;
  tables: Record<string, number>;
  /** Format 2: each dumped table's columns, in the order of its rows' values. */
  columns?: Record<string, string[]>;
  audit: { events: number; headSeq: number; headHash: string };
  parts: BackupPart[];
};

export type BackupState = Omit<BackupManifest, "format"> & {
  phase: "rows" | "audit" | "manifest" | "verify" | "done";
  /** The read-back check after the manifest: scratch rows staged so far, events counted, the last event's hash. */
  verify: { partIndex: number; events: number; lastHash: string | null; stagedUpTo?: number; compared?: boolean } | null;
  afterId: number;
  afterSeq: number;
  /** The part size for this run (tests make it small to get many parts). */
  partBytes: number;
  /** The staging groups' size for this run (at most a quarter of a part). */
  groupBytes: number;
  /** The shard the copy was staged in, where every later step reads and clears it (absent in runs begun before it was kept). */
  shardKey?: string;
};

const partName = (index: number, kind: "rows" | "audit") => `part-${String(index).padStart(6, "0")}-${kind}.jsonl.sealed`;
const partKind = (part: Pick<BackupPart, "name">): "rows" | "audit" => (part.name.endsWith("-audit.jsonl.sealed") ? "audit" : "rows");

/**
 * A row as a JSON array of its columns' values, built by SQLite. One call takes at most 127
 * arguments, so columns past the first 50 are appended by json_insert in groups of 50.
 */
const COLUMNS_PER_CALL = 50;
function rowAsJson(columns: string[]): string {
  const groups: string[][] = [];
  for (let i = 0; i < columns.length; i += COLUMNS_PER_CALL) groups.push(columns.slice(i, i + COLUMNS_PER_CALL));
  const [first = [], ...rest] = groups;
  return rest.reduce(
    (json, group) => `json_insert(${json}, ${group.map((c) => `'$[#]', ${quoted(c)}`).join(", ")})`,
    `json_array(${first.map(quoted).join(", ")})`,
  );
}

/**
 * The statement that stages one table's rows of the tenant as groups of JSON lines (ADR 0029).
 * `copy_bounds` cuts the tenant's rows, in rowid order, into groups of about `groupBytes` by an
 * estimate of each line's size (the sum of its values' byte lengths, no text built); each group is
 * then one staging row: its lines in rowid order, joined by SQLite over the group's rowid range.
 * Only the narrow bounds are sorted, never the lines. (The CTEs' names are no table's: a CTE
 * named like a table would hide it.)
 */
function stageTableStatement(d1: D1Database, table: BackedUpTable, groupBytes: number): D1PreparedStatement {
  const name = quoted(table.name);
  const estimate = table.columns.map((c) => `COALESCE(octet_length(${quoted(c)}), 4) + 3`).join(" + ");
  const line = `'{"t":"${table.name}","r":' || ${rowAsJson(table.columns)} || '}'`;
  return d1.prepare(
    `WITH copy_sized AS (SELECT rowid AS r, SUM(${estimate}) OVER (ORDER BY rowid ROWS UNBOUNDED PRECEDING) / ${groupBytes} AS g FROM ${name} WHERE tenant_id = ?1),
       copy_groups AS (SELECT g, MAX(r) AS hi, COUNT(*) AS n FROM copy_sized GROUP BY g),
       copy_bounds AS (SELECT hi, n, COALESCE(LAG(hi) OVER (ORDER BY g), -9223372036854775808) AS lo FROM copy_groups)
     INSERT INTO backup_rows (tenant_id, run_id, table_name, lines, row)
     SELECT ?1, ?2, '${table.name}', n, (SELECT group_concat(line, char(10)) FROM (SELECT ${line} AS line FROM ${name} WHERE tenant_id = ?1 AND rowid > copy_bounds.lo AND rowid <= copy_bounds.hi ORDER BY rowid))
     FROM copy_bounds ORDER BY hi`,
  );
}

/**
 * Stages the tenant in one transaction: a grouped INSERT … SELECT per dumped table and the counts,
 * in one D1 batch, so every later read sees one moment of the tenant. Binds two values per
 * statement, whatever the tenant's size.
 */
export async function startBackup(env: KuraEnv, tenantId: string, at: Date, options: { partBytes?: number } = {}): Promise<BackupState> {
  const { d1, shardKey } = await tenantPlacement(env, tenantId);
  const runId = `bkr_${randomSecret(16)}`;
  const partBytes = options.partBytes ?? PART_BYTES;
  const groupBytes = Math.max(1, Math.min(GROUP_BYTES, Math.floor(partBytes / 4)));
  const inserts = backedUpTables().map((t) => stageTableStatement(d1, t, groupBytes).bind(tenantId, runId));
  const counts = stagedCounts(d1, tenantId, runId);
  const version = d1.prepare("SELECT COUNT(*) AS n FROM d1_migrations");
  // The audit log's head at (about) the same moment: events are append-only, so the cut is exact.
  const [results, head] = await Promise.all([d1.batch([...inserts, counts, version]), auditLogOf(env, tenantId).chainHead()]);
  const tables = Object.fromEntries(backedUpTables().map((t) => [t.name, 0]));
  for (const r of results.at(-2)!.results as { t: string; n: number }[]) tables[r.t] = r.n;
  return {
    tenantId,
    runId,
    generation: at.toISOString().slice(0, 10),
    createdAt: at.toISOString(),
    schemaVersion: (results.at(-1)!.results[0] as { n: number }).n,
    tables,
    columns: Object.fromEntries(backedUpTables().map((t) => [t.name, t.columns])),
    audit: { events: 0, headSeq: head.seq, headHash: head.hash },
    parts: [],
    phase: "rows",
    verify: null,
    afterId: 0,
    afterSeq: 0,
    partBytes,
    groupBytes,
    shardKey,
  };
}

/** Moves the run by one bounded step; `phase: "done"` once the manifest is written and verified. */
export async function backupStep(env: KuraEnv, state: BackupState, scratch: VerifyScratch): Promise<BackupState> {
  if (state.phase === "rows") return dumpRows(env, state);
  if (state.phase === "audit") return dumpAudit(env, state);
  if (state.phase === "manifest") return finish(env, state);
  if (state.phase === "verify") return verifyStep(env, state, scratch);
  return state;
}

/**
 * Up to ROW_PARTS_PER_STEP parts of the staged rows. A part's upload (sealing, checksum, R2) runs
 * while the next part's rows are read from D1; the step's progress is saved only after all of its
 * parts are stored, so a step cut off writes its parts again under the same names.
 */
async function dumpRows(env: KuraEnv, state: BackupState): Promise<BackupState> {
  const d1 = await stagingShard(env, state);
  // Unwrapped once for the step's parts (a control-plane read and an unwrap each time otherwise).
  const key = await tenantDataKey(env, state.tenantId);
  const writes: Promise<BackupPart>[] = [];
  let afterId = state.afterId;
  let exhausted = false;
  for (let n = 0; n < ROW_PARTS_PER_STEP && !exhausted; n++) {
    const read = await readPartGroups(d1, state, afterId);
    afterId = read.afterId;
    exhausted = read.exhausted;
    if (read.rows > 0) writes.push(writePart(env, state, key, state.parts.length + writes.length + 1, "rows", read.texts, read.rows));
  }
  const parts = [...state.parts, ...(await Promise.all(writes))];
  return { ...state, parts, afterId, phase: exhausted ? "audit" : "rows" };
}

/**
 * The staged groups after `afterId`, up to one part's size: already framed JSON lines (SQLite
 * built them), so nothing is parsed or printed again here.
 */
async function readPartGroups(
  d1: D1Database,
  state: BackupState,
  after: number,
): Promise<{ texts: string[]; rows: number; afterId: number; exhausted: boolean }> {
  const texts: string[] = [];
  const perRead = Math.max(1, Math.ceil(state.partBytes / state.groupBytes));
  let bytes = 0;
  let rows = 0;
  let afterId = after;
  let exhausted = false;
  while (bytes < state.partBytes && !exhausted) {
    const { results } = await d1
      .prepare("SELECT id, lines, row FROM backup_rows WHERE tenant_id = ? AND run_id = ? AND id > ? ORDER BY id LIMIT ?")
      .bind(state.tenantId, state.runId, afterId, perRead)
      .all<{ id: number; lines: number; row: string }>();
    for (const group of results) {
      texts.push(group.row, "\n");
      bytes += group.row.length + 1;
      rows += group.lines;
      afterId = group.id;
      if (bytes >= state.partBytes) break;
    }
    // A short read taken to its last group: nothing is left after it.
    exhausted = results.length < perRead && afterId === (results.at(-1)?.id ?? afterId);
  }
  return { texts, rows, afterId, exhausted };
}

async function dumpAudit(env: KuraEnv, state: BackupState): Promise<BackupState> {
  const log = auditLogOf(env, state.tenantId);
  const lines: string[] = [];
  let bytes = 0;
  let afterSeq = state.afterSeq;
  let exhausted = false;
  while (bytes < state.partBytes) {
    const events = (await log.range({ afterSeq, limit: EVENTS_PER_READ })).filter((e) => e.seq <= state.audit.headSeq);
    for (const e of events) {
      const line = `${JSON.stringify({ a: e })}\n`;
      lines.push(line);
      bytes += line.length;
      afterSeq = e.seq;
    }
    if (events.length < EVENTS_PER_READ || afterSeq >= state.audit.headSeq) {
      exhausted = true;
      break;
    }
  }
  const parts =
    lines.length > 0
      ? [...state.parts, await writePart(env, state, await tenantDataKey(env, state.tenantId), state.parts.length + 1, "audit", lines, lines.length)]
      : state.parts;
  const audit = { ...state.audit, events: state.audit.events + lines.length };
  return { ...state, parts, afterSeq, audit, phase: exhausted ? "manifest" : "audit" };
}

/** One part: `texts` (whole JSON lines, joined as they are) sealed, checksummed and stored. */
async function writePart(
  env: KuraEnv,
  state: BackupState,
  key: CryptoKey,
  index: number,
  kind: "rows" | "audit",
  texts: string[],
  rows: number,
): Promise<BackupPart> {
  const name = partName(index, kind);
  const path = backupRunPrefix(state) + name;
  const sealed = await seal(key, new TextEncoder().encode(texts.join("")), path);
  const sha256 = await sha256Hex(sealed);
  await env.BACKUPS.put(path, sealed, { sha256 });
  return { name, sha256, bytes: sealed.byteLength, rows };
}

/** The manifest last (a run without one is incomplete), then the staging rows go and verification starts. */
async function finish(env: KuraEnv, state: BackupState): Promise<BackupState> {
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    tenantId: state.tenantId,
    generation: state.generation,
    runId: state.runId,
    createdAt: state.createdAt,
    schemaVersion: state.schemaVersion,
    tables: state.tables,
    columns: state.columns,
    audit: state.audit,
    parts: state.parts,
  };
  await env.BACKUPS.put(`${backupRunPrefix(state)}manifest.json`, JSON.stringify(manifest, null, 2), { httpMetadata: { contentType: "application/json" } });
  await faultPoint(env, "backup:manifest-written");
  await clearStaging(env, state.tenantId, state.runId, await stagingShard(env, state));
  return { ...state, phase: "verify", verify: { partIndex: 0, events: 0, lastHash: null, stagedUpTo: 0 } };
}

/** Empties a run's staging rows (also what cleans up after an interrupted run). */
export async function clearStaging(env: KuraEnv, tenantId: string, runId: string, shard?: D1Database): Promise<void> {
  const d1 = shard ?? (await tenantPlacement(env, tenantId)).d1;
  await d1.prepare("DELETE FROM backup_rows WHERE tenant_id = ? AND run_id = ?").bind(tenantId, runId).run();
}

/** A backup that does not read back as its manifest says: the run fails at once, and the operator is alerted. */
export class BackupVerificationFailed extends Error {}

/** D1 and Durable Object SQL take at most 2 MB per bound value: staged lines go in as runs below that. */
export const STAGE_BYTES = 1_500_000;

/**
 * Verification, a few parts per step (ADR 0025): the manifest and the parts are read back from
 * BACKUPS as a restore reads them, each part's SHA-256 and seal checked, its rows restored
 * into the job object's scratch space (verify-scratch.server.ts) as a restore stages them, its
 * events counted; after the last part the restored counts per table (by SQL) and the audit head
 * must equal the manifest. The scratch rows are then dropped, in a step of their own. Each step
 * can be cut off and run again (`stagedUpTo`).
 */
async function verifyStep(env: KuraEnv, state: BackupState, scratch: VerifyScratch): Promise<BackupState> {
  const check = state.verify!;
  const manifest = await readManifest(env, state);
  if (check.partIndex < manifest.parts.length) {
    // A few parts per step, fetched and opened together (R2 and the crypto overlap), then
    // restored one after another; the step's progress is saved only after all of them.
    const batch = manifest.parts.slice(check.partIndex, check.partIndex + VERIFY_PARTS_PER_STEP);
    const key = partsKey(env, manifest.tenantId);
    const read = await Promise.all(batch.map((part) => readPart(env, manifest, part, key)));
    // The scratch holds one verification: this one starts by emptying what another left.
    if (check.partIndex === 0) scratch.clear();
    let next = { ...check, partIndex: check.partIndex + batch.length };
    for (const part of read) {
      if (part.kind === "audit") next = { ...next, events: next.events + part.events.length, lastHash: lastHashOf(part.events) ?? next.lastHash };
      else next = { ...next, stagedUpTo: scratch.stage(part.runs, next.stagedUpTo ?? 0) };
    }
    return { ...state, verify: next };
  }
  if (check.compared) {
    // A step of its own, after the comparison: a comparison cut off after this delete and run
    // again would count nothing.
    scratch.clear();
    return { ...state, phase: "done" };
  }
  const staged = scratch.counts();
  const differing = Object.entries(manifest.tables).filter(([table, n]) => (staged[table] ?? 0) !== n);
  if (differing.length > 0) throw new BackupVerificationFailed(`rows read back differ from the manifest in ${differing.map(([t]) => t).join(", ")}`);
  if (check.events !== manifest.audit.events) throw new BackupVerificationFailed("audit events read back differ from the manifest");
  if (manifest.audit.events > 0 && check.lastHash !== manifest.audit.headHash)
    throw new BackupVerificationFailed("the audit chain read back ends elsewhere than the manifest's head");
  return { ...state, verify: { ...check, compared: true } };
}

type ReadPart = { kind: "rows"; runs: Uint8Array[] } | { kind: "audit"; events: Record<string, unknown>[] };

/**
 * One part read back (checksum, seal): a rows part as runs of whole JSON lines of at most
 * STAGE_BYTES (lineRuns), an audit part as its events. Verification and restore read parts only
 * through this.
 */
export async function readPart(env: KuraEnv, manifest: BackupManifest, part: BackupPart, key = partsKey(env, manifest.tenantId)): Promise<ReadPart> {
  const plain = await openPart(env, manifest, part, key);
  if (partKind(part) === "audit") return { kind: "audit", events: parsePart(manifest, new TextDecoder().decode(plain)).events };
  return { kind: "rows", runs: lineRuns(plain, STAGE_BYTES) };
}

const lastHashOf = (events: Record<string, unknown>[]) => (events.at(-1)?.hash as string | undefined) ?? null;

/** The tenant's existing key for reading parts, unwrapped at most once however many parts use it. */
type PartsKey = () => Promise<CryptoKey>;
function partsKey(env: KuraEnv, tenantId: string): PartsKey {
  let key: Promise<CryptoKey> | undefined;
  return () => (key ??= existingTenantDataKey(env, tenantId));
}

/** One part, checked against its manifest entry and opened with the tenant's existing key. */
async function openPart(env: KuraEnv, manifest: BackupManifest, part: BackupPart, key: PartsKey): Promise<Uint8Array> {
  const path = backupRunPrefix(manifest) + part.name;
  const object = await env.BACKUPS.get(path);
  if (!object) throw new BackupVerificationFailed(`backup part ${part.name} is missing`);
  const sealed = new Uint8Array(await object.arrayBuffer());
  if ((await sha256Hex(sealed)) !== part.sha256) throw new BackupVerificationFailed(`backup part ${part.name} does not match its checksum`);
  try {
    return await open(await key(), sealed, path);
  } catch (error) {
    if (error instanceof TenantKeyUnavailable) throw error;
    throw new BackupVerificationFailed(`backup part ${part.name} does not open with the tenant's key`);
  }
}

/** The tenant-data rows a manifest holds, all tables together. */
export const manifestRows = (manifest: Pick<BackupManifest, "tables">) => Object.values(manifest.tables).reduce((a, b) => a + b, 0);

export async function readManifest(env: KuraEnv, run: { tenantId: string; generation: string; runId: string }): Promise<BackupManifest> {
  const object = await env.BACKUPS.get(`${backupRunPrefix(run)}manifest.json`);
  if (!object) throw new Error(`backup run ${run.runId} has no manifest`);
  return (await object.json()) as BackupManifest;
}

export type BackupContents = { rows: { t: string; r: Record<string, unknown> }[]; events: Record<string, unknown>[] };

/**
 * Reads a run back as a restore would: every part's SHA-256 against the manifest, then opened
 * with the tenant's existing key (never a new one). Throws on any difference.
 */
export async function readBackup(env: KuraEnv, manifest: BackupManifest): Promise<BackupContents> {
  const out: BackupContents = { rows: [], events: [] };
  const key = partsKey(env, manifest.tenantId);
  for (const part of manifest.parts) {
    const { rows, events } = parsePart(manifest, new TextDecoder().decode(await openPart(env, manifest, part, key)));
    out.rows.push(...rows);
    out.events.push(...events);
  }
  return out;
}

/**
 * A part's JSON lines: `{"t": table, "r": row}` for rows (format 2: the row's values in the order
 * of the manifest's columns, given back here as an object), `{"a": event}` for audit events.
 */
function parsePart(manifest: BackupManifest, text: string): BackupContents {
  const out: BackupContents = { rows: [], events: [] };
  for (const line of text.split("\n")) {
    if (!line) continue;
    const parsed = JSON.parse(line) as { t?: string; r?: Record<string, unknown> | unknown[]; a?: Record<string, unknown> };
    if (parsed.a) out.events.push(parsed.a);
    else out.rows.push({ t: parsed.t!, r: rowObject(manifest, parsed.t!, parsed.r!) });
  }
  return out;
}

function rowObject(manifest: BackupManifest, table: string, row: Record<string, unknown> | unknown[]): Record<string, unknown> {
  if (!Array.isArray(row)) return row;
  const columns = manifest.columns?.[table] ?? [];
  return Object.fromEntries(columns.map((c, i) => [c, row[i]]));
}

/**
 * Where a column's value is in a staged row of `manifest`'s run, for json_extract: its name
 * (format 1) or its position in the manifest's columns (format 2). A column the backup does not
 * hold (a newer schema) reads as NULL.
 */
export function columnPath(manifest: Pick<BackupManifest, "format" | "columns">, table: string, column: string): string | null {
  if (manifest.format === 1) return `'$.${column}'`;
  const index = manifest.columns?.[table]?.indexOf(column) ?? -1;
  return index < 0 ? null : `'$[${index}]'`;
}
