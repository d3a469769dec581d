import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";

/**
 * The audit log's hash chain, shared by the Durable Object (which appends)
 * and by tests and tools (which verify):
 *
 *   hash(n) = SHA-256( hash(n-1) ‖ "\n" ‖ canonical(event n) )
 *
 * with hash(0) = 64 zeros. The canonical form is a JSON array of the event's
 * fields in a fixed order, with object keys inside `details` sorted, so the
 * same event always hashes the same. Hashing is synchronous on purpose: the
 * Durable Object appends inside one synchronous transaction, with no await
 * at which another append could interleave.
 */

export const GENESIS_HASH = "0".repeat(64);

export type AuditActorType = "user" | "guest" | "operator" | "system";
export type AuditOutcome = "success" | "denied" | "failure";

/** What a caller hands to the log. `id` makes appends idempotent. */
export type AuditEventInput = {
  id: string;
  at: string;
  actor: { type: AuditActorType; id: string | null; email?: string | null };
  action: string;
  /** `name` is what the target was called at the time (it may be renamed or deleted later). */
  target: { type: string; id: string | null; name?: string | null };
  ip: string | null;
  userAgent: string | null;
  outcome: AuditOutcome;
  details?: Record<string, unknown> | null;
};

/** A stored event, as the log returns it. */
export type AuditEvent = AuditEventInput & { seq: number; prevHash: string; hash: string };

/**
 * Events cross the Durable Object's RPC boundary with `details` as JSON text
 * (RPC types cannot describe arbitrary JSON); toWire/fromWire convert.
 */
export type AuditEventWire = Omit<AuditEventInput, "details"> & { details: string | null };
export type AuditEventWireStored = Omit<AuditEvent, "details"> & { details: string | null };

export function toWire(e: AuditEventInput): AuditEventWire {
  return { ...e, details: e.details ? JSON.stringify(e.details) : null };
}

export function fromWire<T extends { details: string | null }>(e: T): Omit<T, "details"> & { details: Record<string, unknown> | null } {
  return { ...e, details: e.details ? (JSON.parse(e.details) as Record<string, unknown>) : null };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** An event's facts from its time to its outcome, in the order both the hash and the CSV export use. */
export function eventFacts(e: AuditEventInput) {
  return [
    e.at,
    e.actor.type,
    e.actor.id,
    e.actor.email ?? null,
    e.action,
    e.target.type,
    e.target.id,
    e.target.name ?? null,
    e.ip,
    e.userAgent,
    e.outcome,
  ] as const;
}

export function canonicalEvent(seq: number, e: AuditEventInput): string {
  return JSON.stringify([seq, e.id, ...eventFacts(e), e.details ? sortKeys(e.details) : null]);
}

const encoder = new TextEncoder();

export function chainHash(prevHash: string, seq: number, e: AuditEventInput): string {
  return encodeHexLowerCase(sha256(encoder.encode(`${prevHash}\n${canonicalEvent(seq, e)}`)));
}
