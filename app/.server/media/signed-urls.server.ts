import { decodeBase64, decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { z } from "zod";
import type { KuraEnv } from "../env/env";
import { onePer } from "../memo.server";
import { OUTPUT_NAMES } from "./outputs.server";

/**
 * The transcoder's credentials (ADR 0030): each URL it is given carries a grant, HMAC-signed with
 * TRANSCODER_SIGNING_KEY, naming the tenant, the job, the attempt, what the URL is for and when
 * it expires. The tenant is taken from the signature, never from the request, and an older
 * attempt's grants stop working once a newer attempt starts (jobs.server.ts checks the attempt).
 */

const GrantSchema = z.object({
  /** Tenant id. */
  t: z.string().min(1).max(64),
  /** Job id. */
  j: z.string().min(1).max(64),
  /** Attempt. */
  a: z.number().int().positive(),
  /** What the URL is for. */
  u: z.enum(["source", "output", "callback"]),
  /** Output name (for `output`). */
  n: z.enum(OUTPUT_NAMES).optional(),
  /** Expiry, seconds since the epoch. */
  e: z.number().int().positive(),
});

export type Grant = {
  tenantId: string;
  jobId: string;
  attempt: number;
  use: "source" | "output" | "callback";
  name?: (typeof OUTPUT_NAMES)[number];
  expiresAt: number;
};

/** How long a job's URLs work: long enough for an hour of ProRes on a busy transcoder. */
export const GRANT_SECONDS = 12 * 60 * 60;

const signingKey = onePer(async (env: KuraEnv): Promise<CryptoKey | null> => {
  let raw: Uint8Array;
  try {
    raw = decodeBase64((env.TRANSCODER_SIGNING_KEY ?? "").trim());
  } catch {
    return null;
  }
  if (raw.length !== 32) return null;
  return crypto.subtle.importKey("raw", new Uint8Array(raw), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
});

/** Whether job URLs can be signed here (TRANSCODER_SIGNING_KEY is base64 of 32 bytes). */
export async function canSign(env: KuraEnv): Promise<boolean> {
  return (await signingKey(env)) !== null;
}

export async function signGrant(env: KuraEnv, grant: Grant): Promise<string> {
  const key = await signingKey(env);
  if (!key) throw new Error("TRANSCODER_SIGNING_KEY is missing or not base64 of 32 bytes");
  const body = { t: grant.tenantId, j: grant.jobId, a: grant.attempt, u: grant.use, ...(grant.name ? { n: grant.name } : {}), e: grant.expiresAt };
  const payload = encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify(body)));
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(payload)));
  return `${payload}.${encodeBase64urlNoPadding(mac)}`;
}

/** The grant of a token for `use`, or null when it is forged, malformed, for something else or expired. */
export async function verifyGrant(env: KuraEnv, token: string | null, use: Grant["use"], now = Date.now()): Promise<Grant | null> {
  const key = await signingKey(env);
  if (!key || !token || token.length > 1024) return null;
  const [payload, mac, extra] = token.split(".");
  if (!payload || !mac || extra !== undefined) return null;
  let signature: Uint8Array;
  let json: unknown;
  try {
    signature = decodeBase64urlIgnorePadding(mac);
    // Verified before the payload is parsed: nothing an attacker wrote is read unsigned.
    if (!(await crypto.subtle.verify("HMAC", key, new Uint8Array(signature), new TextEncoder().encode(payload)))) return null;
    json = JSON.parse(new TextDecoder().decode(decodeBase64urlIgnorePadding(payload)));
  } catch {
    return null;
  }
  const parsed = GrantSchema.safeParse(json);
  if (!parsed.success || parsed.data.u !== use || parsed.data.e * 1000 < now) return null;
  const g = parsed.data;
  return { tenantId: g.t, jobId: g.j, attempt: g.a, use: g.u, ...(g.n ? { name: g.n } : {}), expiresAt: g.e };
}
