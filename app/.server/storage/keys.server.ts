import { ID_PATTERN } from "../ids/ids";

/**
 * R2 key layout, built only here. Keys are made of our own ids, never of user
 * input (file names live in D1 as display names):
 *
 *   ASSETS   tenants/<tenantId>/<relative key>
 *   BACKUPS  backups/<tenantId>/<generation>/...
 */
const RELATIVE_KEY = /^[a-z0-9_]+(\/[a-z0-9_.-]+)*$/;

function checkedId(id: string): string {
  if (!ID_PATTERN.test(id)) throw new Error("Storage keys are built from ids only");
  return id;
}

export function tenantPrefix(tenantId: string): string {
  return `tenants/${checkedId(tenantId)}/`;
}

export function tenantObjectKey(tenantId: string, relativeKey: string): string {
  if (!RELATIVE_KEY.test(relativeKey) || relativeKey.includes("..")) {
    throw new Error("Invalid relative storage key");
  }
  return tenantPrefix(tenantId) + relativeKey;
}

export function backupPrefix(tenantId: string): string {
  return `backups/${checkedId(tenantId)}/`;
}

const GENERATION = /^\d{4}-\d{2}-\d{2}$/;

/** One backup run's folder: `backups/<tenantId>/<generation (YYYY-MM-DD)>/<runId>/` (ADR 0025). */
export function backupRunPrefix(run: { tenantId: string; generation: string; runId: string }): string {
  if (!GENERATION.test(run.generation)) throw new Error("A backup generation is a day, YYYY-MM-DD");
  return `${backupPrefix(run.tenantId)}${run.generation}/${checkedId(run.runId)}/`;
}

/**
 * The tenant's view of the ASSETS bucket: every call is confined to its
 * prefix. Request code gets it as `storage` of its TenantData (tenantData(),
 * the tenant taken from the authenticated principal); only system jobs, which
 * act on a tenant named by the control plane, call this directly.
 */
export type TenantStorage = ReturnType<typeof tenantStorageFor>;

export function tenantStorageFor(bucket: R2Bucket, tenantId: string) {
  const prefix = tenantPrefix(tenantId);
  const key = (relative: string) => tenantObjectKey(tenantId, relative);
  return {
    prefix,
    put: (relative: string, value: Parameters<R2Bucket["put"]>[1], options?: R2PutOptions) => bucket.put(key(relative), value, options),
    get: (relative: string, options?: R2GetOptions) => bucket.get(key(relative), options),
    head: (relative: string) => bucket.head(key(relative)),
    delete: (relative: string | string[]) => bucket.delete(Array.isArray(relative) ? relative.map(key) : key(relative)),
    createMultipartUpload: (relative: string, options?: R2MultipartOptions) => bucket.createMultipartUpload(key(relative), options),
    resumeMultipartUpload: (relative: string, uploadId: string) => bucket.resumeMultipartUpload(key(relative), uploadId),
    list: (options: { prefix?: string; cursor?: string; limit?: number } = {}) => bucket.list({ ...options, prefix: prefix + (options.prefix ?? "") }),
  };
}
