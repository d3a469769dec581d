/**
 * The per-tenant audit log Durable Object, called as the app calls it
 * (RPC on the AUDIT_LOG binding), against real SQLite-backed storage.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { chainHash, fromWire, GENESIS_HASH, toWire, type AuditEventInput } from "~/.server/audit/chain";
import type { AuditLog } from "../../../workers/audit-log";

let n = 0;
function event(over: Partial<AuditEventInput> = {}): AuditEventInput {
  n += 1;
  return {
    id: `evt-${n}-${crypto.randomUUID()}`,
    at: new Date(Date.UTC(2026, 10, 25, 10, 0, 0, n)).toISOString(),
    actor: { type: "user", id: "usr_a", email: "a@x.example" },
    action: "auth.login",
    target: { type: "user", id: "usr_a" },
    ip: "203.0.113.7",
    userAgent: "vitest",
    outcome: "success",
    details: { method: "password", nested: { b: 2, a: 1 } },
    ...over,
  };
}

/** The stub, with events converted to and from their wire form like the app does. */
const logOf = (tenant: string) => {
  const stub = env.AUDIT_LOG.get(env.AUDIT_LOG.idFromName(tenant));
  return {
    stub,
    append: (events: AuditEventInput[]) => stub.append(events.map(toWire)),
    query: async (q: Parameters<typeof stub.query>[0]) => {
      const page = await stub.query(q);
      return { items: page.items.map((e) => fromWire(e)), nextBeforeSeq: page.nextBeforeSeq };
    },
    range: async (r: Parameters<typeof stub.range>[0]) => (await stub.range(r)).map((e) => fromWire(e)),
    verify: () => stub.verify(),
    deleteDaysBefore: (day: string) => stub.deleteDaysBefore(day),
    destroy: () => stub.destroy(),
  };
};

describe("AuditLog Durable Object", () => {
  it("gives 200 concurrent appends 200 contiguous seqs, and the chain verifies", async () => {
    const log = logOf("tnt-concurrent");
    const results = await Promise.all(Array.from({ length: 200 }, () => log.append([event()])));
    const seqs = results.map((r) => r.seqs[0]!).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const verified = await log.verify();
    expect(verified).toMatchObject({ ok: true, count: 200, firstBadSeq: null });
    expect(verified.headHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("chains each event to the one before with SHA-256 over the canonical form", async () => {
    const log = logOf("tnt-chain");
    const a = event();
    const b = event({ action: "user.created", details: { 名前: "渋谷", z: [1, { y: 1, x: 2 }] } });
    await log.append([a, b]);
    const { items } = await log.query({ limit: 10 });
    const [second, first] = items;
    expect(first?.prevHash).toBe(GENESIS_HASH);
    expect(first?.hash).toBe(chainHash(GENESIS_HASH, 1, a));
    expect(second?.prevHash).toBe(first?.hash);
    expect(second?.hash).toBe(chainHash(first!.hash, 2, b));
    // Key order in details does not change the hash; a value does.
    expect(chainHash(GENESIS_HASH, 1, { ...a, details: { nested: { a: 1, b: 2 }, method: "password" } })).toBe(first?.hash);
    expect(chainHash(GENESIS_HASH, 1, { ...a, details: { method: "sso", nested: { a: 1, b: 2 } } })).not.toBe(first?.hash);
  });

  it("does not duplicate a retried append (same event id)", async () => {
    const log = logOf("tnt-idempotent");
    const e = event();
    const first = await log.append([e, event()]);
    const again = await log.append([e]);
    expect(again.seqs).toEqual([first.seqs[0]]);
    expect((await log.verify()).count).toBe(2);
  });

  it("reports exactly the tampered seq", async () => {
    const log = logOf("tnt-tamper");
    for (let i = 0; i < 5; i++) await log.append([event()]);
    expect((await log.verify()).ok).toBe(true);
    await runInDurableObject(log.stub, (_instance: AuditLog, state) => {
      state.storage.sql.exec("UPDATE events SET details = ? WHERE seq = 3", JSON.stringify({ method: "forged" }));
    });
    expect(await log.verify()).toMatchObject({ ok: false, firstBadSeq: 3, count: 2 });
  });

  it("detects a deleted event in the middle (a gap) and a rewritten hash", async () => {
    const gap = logOf("tnt-gap");
    for (let i = 0; i < 4; i++) await gap.append([event()]);
    await runInDurableObject(gap.stub, (_i: AuditLog, state) => void state.storage.sql.exec("DELETE FROM events WHERE seq = 2"));
    expect(await gap.verify()).toMatchObject({ ok: false, firstBadSeq: 3 });

    const rewritten = logOf("tnt-rehash");
    for (let i = 0; i < 4; i++) await rewritten.append([event()]);
    await runInDurableObject(rewritten.stub, (_i: AuditLog, state) => {
      // A forger who recomputes the hash of the event they changed still breaks the next link.
      const row = state.storage.sql.exec<{ prev_hash: string }>("SELECT prev_hash FROM events WHERE seq = 2").one();
      const forged = event({ action: "auth.logout" });
      state.storage.sql.exec(
        "UPDATE events SET action = 'auth.logout', event_id = ?, at = ?, details = ?, hash = ? WHERE seq = 2",
        forged.id,
        forged.at,
        JSON.stringify(forged.details),
        chainHash(row.prev_hash, 2, forged),
      );
    });
    expect(await rewritten.verify()).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it("filters by action, actor and time, newest first, with a stable cursor", async () => {
    const log = logOf("tnt-query");
    const batch: AuditEventInput[] = [];
    for (let i = 0; i < 30; i++) {
      batch.push(event({ action: i % 3 === 0 ? "auth.login_failed" : "asset.downloaded", actor: { type: "user", id: i % 2 ? "usr_odd" : "usr_even" } }));
    }
    await log.append(batch);
    const page1 = await log.query({ action: "auth.login_failed", limit: 4 });
    expect(page1.items.map((e) => e.action)).toEqual(Array(4).fill("auth.login_failed"));
    expect(page1.items.map((e) => e.seq)).toEqual([...page1.items.map((e) => e.seq)].sort((a, b) => b - a));
    // An append between pages does not shift the next page.
    await log.append([event({ action: "auth.login_failed" })]);
    const page2 = await log.query({ action: "auth.login_failed", limit: 4, beforeSeq: page1.nextBeforeSeq! });
    const page3 = await log.query({ action: "auth.login_failed", limit: 4, beforeSeq: page2.nextBeforeSeq! });
    const seen = [...page1.items, ...page2.items, ...page3.items].map((e) => e.seq);
    expect(new Set(seen).size).toBe(10);
    expect(page3.nextBeforeSeq).toBeNull();
    const evenOnly = await log.query({ actorId: "usr_even", limit: 100 });
    expect(evenOnly.items).toHaveLength(15);
    const windowed = await log.query({ from: batch[10]!.at, to: batch[20]!.at, limit: 100 });
    expect(windowed.items.map((e) => e.id).sort()).toEqual(
      batch
        .slice(10, 20)
        .map((e) => e.id)
        .sort(),
    );
  });

  it("keeps two tenants' logs apart", async () => {
    const a = logOf("tnt-iso-a");
    const b = logOf("tnt-iso-b");
    await a.append([event({ action: "only.in.a" })]);
    expect((await b.query({ limit: 10 })).items).toEqual([]);
    expect((await a.query({ limit: 10 })).items.map((e) => e.action)).toEqual(["only.in.a"]);
  });

  it("deletes whole days for retention and still verifies from the anchor", async () => {
    const log = logOf("tnt-retention");
    const day = (d: number, i: number) => new Date(Date.UTC(2026, 0, d, 12, 0, i)).toISOString();
    const events = [1, 1, 2, 2, 3, 3].map((d, i) => event({ at: day(d, i) }));
    await log.append(events);
    expect(await log.deleteDaysBefore("2026-01-03")).toEqual({ deleted: 4 });
    const left = await log.query({ limit: 10 });
    expect(left.items.map((e) => e.seq)).toEqual([6, 5]);
    expect(await log.verify()).toMatchObject({ ok: true, count: 2 });
    // Appends continue the chain after the kept events.
    expect((await log.append([event({ at: day(4, 0) })])).seqs).toEqual([7]);
    expect(await log.verify()).toMatchObject({ ok: true, count: 3 });
  });

  it("exports oldest first in pages", async () => {
    const log = logOf("tnt-range");
    await log.append(Array.from({ length: 7 }, () => event()));
    const first = await log.range({ limit: 3 });
    const second = await log.range({ limit: 3, afterSeq: first.at(-1)!.seq });
    expect([...first, ...second].map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("destroys the whole log on request and starts empty", async () => {
    const log = logOf("tnt-destroy");
    await log.append([event(), event()]);
    expect(await log.destroy()).toEqual({ deleted: 2 });
    expect(await log.verify()).toMatchObject({ ok: true, count: 0 });
  });
});
