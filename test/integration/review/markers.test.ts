/**
 * Markers (付箋, issue #14) through the public API, in workerd against real D1 and R2: integer
 * frames at the asset's rate with timecodes from its start timecode, shapes with their limits,
 * replies, resolving, who may change what, the per-asset limit under a burst, the exports, and
 * deletion with the asset.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, type ApiErrorBody } from "../../support/http";
import { buildWorld, expectJson, type World } from "../../support/world";
import { mediaFixture, uploadAsset, waitProcessed } from "../../support/assets";
import { pseudoRandomBytes } from "../../support/generated";
import { MARKER_LIMITS, type Marker } from "~/schemas/review";

let world: World;

const markersOf = (assetId: string, token = world.users.tenantAdmin.token) => call(`/api/v1/assets/${assetId}/markers`, { token });
const addMarker = (assetId: string, json: unknown, token = world.users.tenantAdmin.token) =>
  call(`/api/v1/assets/${assetId}/markers`, { method: "POST", json, token });
const patchMarker = (id: string, json: unknown, token = world.users.tenantAdmin.token) => call(`/api/v1/markers/${id}`, { method: "PATCH", json, token });

/** tmcd_df_01000000.mov: 30 frames at 30000/1001, start timecode 01:00:00;00 (drop frame). */
async function freshClip(name = "tmcd_df_01000000.mov") {
  const created = await uploadAsset(world.users.tenantAdmin.token, world.p1, name, mediaFixture("tmcd_df_01000000.mov"), { type: "video/quicktime" });
  return (await waitProcessed(world.users.tenantAdmin.token, created.id)).id;
}

beforeAll(async () => {
  world = await buildWorld("mrk");
});

const RECT = { version: 1, items: [{ type: "rect", x: 0.1, y: 0.2, w: 0.3, h: 0.4 }] };

describe("markers on a 29.97 drop-frame clip", () => {
  it("stores point and range markers as frames at the clip's rate, lists them by start frame with their timecodes, shapes and replies", async () => {
    const asset = await freshClip();
    const range = await expectJson<Marker>(addMarker(asset, { startFrame: 10, endFrame: 20, text: "  テロップの位置  ", color: "red", shapes: RECT }), 201);
    expect(range).toMatchObject({
      startFrame: 10,
      endFrame: 20,
      rate: { num: 30000, den: 1001 },
      startTimecode: "01:00:00;10",
      endTimecode: "01:00:00;20",
      text: "テロップの位置",
      color: "red",
      shapes: RECT,
      resolved: false,
      author: { type: "user", id: world.users.tenantAdmin.id },
      replies: [],
    });
    const point = await expectJson<Marker>(addMarker(asset, { startFrame: 0, text: "first frame" }, world.users.member.token), 201);
    expect(point).toMatchObject({ startFrame: 0, endFrame: null, endTimecode: null, color: "yellow", shapes: null, author: { id: world.users.member.id } });

    const reply = await expectJson<{ id: string; parentId: string }>(
      call(`/api/v1/markers/${range.id}/replies`, { method: "POST", json: { text: "直しました" }, token: world.users.custom.token }),
      201,
    );
    expect(reply.parentId).toBe(range.id);
    // A reply to a reply is refused.
    expect((await call(`/api/v1/markers/${reply.id}/replies`, { method: "POST", json: { text: "no" }, token: world.users.member.token })).status).toBe(409);

    const list = await expectJson<{ items: Marker[] }>(markersOf(asset, world.users.viewer.token), 200);
    expect(list.items.map((m) => m.id)).toEqual([point.id, range.id]);
    expect(list.items[1]!.replies.map((r) => [r.text, r.author.id])).toEqual([["直しました", world.users.custom.id]]);
  });

  it("refuses frames outside the clip, reversed ranges, bad shapes and bad text with 400, and stores nothing", async () => {
    const asset = await freshClip();
    const bad: unknown[] = [
      { startFrame: 30, text: "past the last frame (29)" },
      { startFrame: 5, endFrame: 30, text: "ends past the last frame" },
      { startFrame: 10, endFrame: 9, text: "reversed" },
      { startFrame: -1, text: "negative" },
      { startFrame: 1.5, text: "not a whole frame" },
      { startFrame: "1", text: "a string" },
      { startFrame: 1, text: "" },
      { startFrame: 1, text: "x".repeat(MARKER_LIMITS.textLength + 1) },
      { startFrame: 1, text: "bidi \u202e override" },
      { startFrame: 1, text: "nul \u0000 byte" },
      { startFrame: 1, text: "unknown field", author: "someone else" },
      { startFrame: 1, text: "colour", color: "orange" },
      { startFrame: 1, text: "version", shapes: { version: 2, items: RECT.items } },
      { startFrame: 1, text: "outside", shapes: { version: 1, items: [{ type: "rect", x: 0.8, y: 0, w: 0.3, h: 0.1 }] } },
      { startFrame: 1, text: "outside", shapes: { version: 1, items: [{ type: "arrow", from: [0, 0], to: [1.2, 0.5] }] } },
      { startFrame: 1, text: "unknown shape", shapes: { version: 1, items: [{ type: "star", x: 0, y: 0 }] } },
      { startFrame: 1, text: "no shapes", shapes: { version: 1, items: [] } },
      {
        startFrame: 1,
        text: "too many shapes",
        shapes: { version: 1, items: Array.from({ length: MARKER_LIMITS.shapes + 1 }, () => RECT.items[0]) },
      },
      {
        startFrame: 1,
        text: "too long a stroke",
        shapes: { version: 1, items: [{ type: "freehand", points: Array.from({ length: MARKER_LIMITS.pointsPerStroke + 1 }, (_, i) => [i / 1000, 0.5]) }] },
      },
      {
        startFrame: 1,
        text: "too many points in all",
        shapes: {
          version: 1,
          items: Array.from({ length: 5 }, () => ({ type: "freehand", points: Array.from({ length: 450 }, (_, i) => [i / 1000, 0.5]) })),
        },
      },
    ];
    for (const json of bad) {
      const res = await addMarker(asset, json);
      expect(res.status, JSON.stringify(json).slice(0, 80)).toBe(400);
      expect(((await res.json()) as ApiErrorBody).error.code).toBe("validation_failed");
    }
    for (const body of ["{", "\u0000", "[]", "null", '"text"']) {
      const res = await call(`/api/v1/assets/${asset}/markers`, {
        method: "POST",
        body,
        headers: { "Content-Type": "application/json" },
        token: world.users.tenantAdmin.token,
      });
      expect(res.status, body).toBe(400);
    }
    expect((await expectJson<{ items: Marker[] }>(markersOf(asset), 200)).items).toEqual([]);
  });

  it("a file without a timeline gets 409; a still has frame 0 only", async () => {
    const bin = await uploadAsset(world.users.tenantAdmin.token, world.p1, "notes.bin", pseudoRandomBytes(256, 7));
    await waitProcessed(world.users.tenantAdmin.token, bin.id);
    expect((await addMarker(bin.id, { startFrame: 0, text: "no timeline" })).status).toBe(409);
    const still = await uploadAsset(world.users.tenantAdmin.token, world.p1, "still.jpg", mediaFixture("e2e_still.jpg"), { type: "image/jpeg" });
    await waitProcessed(world.users.tenantAdmin.token, still.id);
    await expectJson(addMarker(still.id, { startFrame: 0, text: "box the logo", shapes: RECT }), 201);
    expect((await addMarker(still.id, { startFrame: 1, text: "a second frame" })).status).toBe(400);
  });
});

describe("who may do what", () => {
  it("viewers read; marker.edit writes, replies and resolves; only the author or a project admin changes or deletes", async () => {
    const asset = await freshClip();
    const { users } = world;
    expect((await addMarker(asset, { startFrame: 1, text: "viewer" }, users.viewer.token)).status).toBe(403);
    const mine = await expectJson<Marker>(addMarker(asset, { startFrame: 1, text: "member's" }, users.member.token), 201);
    const custom = await expectJson<Marker>(addMarker(asset, { startFrame: 2, text: "custom role's" }, users.custom.token), 201);

    // Another editor may resolve it, but not rewrite or delete it.
    const resolved = await expectJson<Marker>(patchMarker(mine.id, { resolved: true }, users.custom.token), 200);
    expect(resolved.resolved).toBe(true);
    expect((await patchMarker(mine.id, { text: "rewritten" }, users.custom.token)).status).toBe(403);
    expect((await call(`/api/v1/markers/${mine.id}`, { method: "DELETE", token: users.custom.token })).status).toBe(403);
    expect((await patchMarker(mine.id, { resolved: false }, users.viewer.token)).status).toBe(403);

    // The author changes frames, text and shapes; null removes the range and the shapes.
    const moved = await expectJson<Marker>(patchMarker(mine.id, { startFrame: 3, endFrame: 6, text: "moved", shapes: RECT }, users.member.token), 200);
    expect(moved).toMatchObject({ startFrame: 3, endFrame: 6, startTimecode: "01:00:00;03", text: "moved", shapes: RECT, resolved: true });
    const point = await expectJson<Marker>(patchMarker(mine.id, { endFrame: null, shapes: null }, users.member.token), 200);
    expect(point).toMatchObject({ startFrame: 3, endFrame: null, shapes: null });
    expect((await patchMarker(mine.id, { endFrame: 2 }, users.member.token)).status).toBe(400); // before its start
    expect((await patchMarker(mine.id, {}, users.member.token)).status).toBe(400);

    // A project admin moderates anyone's marker.
    await expectJson(patchMarker(custom.id, { text: "edited by the admin" }, users.projectAdmin.token), 200);
    expect((await call(`/api/v1/markers/${custom.id}`, { method: "DELETE", token: users.projectAdmin.token })).status).toBe(204);

    // Outside the project or the tenant a marker does not exist.
    for (const who of [users.otherProject, users.otherTenantAdmin]) {
      expect((await markersOf(asset, who.token)).status).toBe(404);
      expect((await patchMarker(mine.id, { resolved: false }, who.token)).status).toBe(404);
      expect((await call(`/api/v1/markers/${mine.id}/replies`, { method: "POST", json: { text: "hi" }, token: who.token })).status).toBe(404);
      expect((await call(`/api/v1/markers/${mine.id}`, { method: "DELETE", token: who.token })).status).toBe(404);
    }
    expect((await expectJson<{ items: Marker[] }>(markersOf(asset), 200)).items.map((m) => m.id)).toEqual([mine.id]);
  });

  it("records marker.created, marker.updated, marker.replied and marker.deleted in the tenant's audit log", async () => {
    const asset = await freshClip();
    const m = await expectJson<Marker>(addMarker(asset, { startFrame: 4, text: "audited" }), 201);
    await expectJson(call(`/api/v1/markers/${m.id}/replies`, { method: "POST", json: { text: "ok" }, token: world.users.tenantAdmin.token }), 201);
    await expectJson(patchMarker(m.id, { resolved: true }), 200);
    expect((await call(`/api/v1/markers/${m.id}`, { method: "DELETE", token: world.users.tenantAdmin.token })).status).toBe(204);
    const audit = await expectJson<{ items: { action: string; target: { id: string }; details?: { assetId?: string } }[] }>(
      call(`/api/v1/audit?limit=200`, { token: world.users.tenantAdmin.token }),
      200,
    );
    const actions = audit.items.filter((e) => e.details?.assetId === asset && e.action.startsWith("marker.")).map((e) => e.action);
    expect(actions.sort()).toEqual(["marker.created", "marker.deleted", "marker.replied", "marker.updated"]);
  });
});

describe("limits under a burst", () => {
  it(`a burst of creates cannot take an asset past ${MARKER_LIMITS.perAsset} markers and replies`, async () => {
    const asset = await freshClip();
    // Fill up to two short of the limit directly (the API would take minutes), then race 6 creates.
    const values = Array.from({ length: MARKER_LIMITS.perAsset - 2 }, (_, i) => i);
    for (let i = 0; i < values.length; i += 400) {
      await env.TENANT_DB_S0.prepare(
        `INSERT INTO markers (id, tenant_id, project_id, asset_id, start_frame, rate_num, rate_den, text, author_type, author_name)
         SELECT 'mrk_fill' || value || ?2, ?1, ?3, ?2, 0, 30000, 1001, 'fill', 'user', 'seed' FROM json_each(?4)`,
      )
        .bind(world.tenantA.id, asset, world.p1, JSON.stringify(values.slice(i, i + 400)))
        .run();
    }
    const statuses = await Promise.all(Array.from({ length: 6 }, (_, i) => addMarker(asset, { startFrame: 1, text: `burst ${i}` }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 201)).toHaveLength(2);
    expect(statuses.filter((s) => s === 409)).toHaveLength(4);
    const count = await env.TENANT_DB_S0.prepare("SELECT COUNT(*) AS n FROM markers WHERE asset_id = ?").bind(asset).first<{ n: number }>();
    expect(count!.n).toBe(MARKER_LIMITS.perAsset);
  });
});

describe("exports", () => {
  it("CSV: UTF-8 with BOM, timecodes from the start timecode, formula-safe cells; EDL: drop frame, Resolve's marker comments", async () => {
    const asset = await freshClip("渋谷ロケ_01.mov");
    await expectJson(addMarker(asset, { startFrame: 29, text: '=HYPERLINK("http://evil")', color: "green" }), 201);
    const range = await expectJson<Marker>(addMarker(asset, { startFrame: 2, endFrame: 5, text: "テロップ\n二行目" }), 201);
    await expectJson(call(`/api/v1/markers/${range.id}/replies`, { method: "POST", json: { text: "+1" }, token: world.users.member.token }), 201);

    const csv = await call(`/api/v1/assets/${asset}/markers/export?format=csv`, { token: world.users.viewer.token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("Content-Disposition")).toContain("filename*=UTF-8''");
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const lines = text.split("\r\n");
    expect(lines[0]).toBe(
      '"marker_id","start_frame","end_frame","start_timecode","end_timecode","duration_frames","frame_rate","text","color","resolved","author","created_at","replies"',
    );
    expect(lines[1]).toContain('"2","5","01:00:00;02","01:00:00;05","4","30000/1001","テロップ\n二行目","yellow","no"');
    expect(text).toMatch(/"[^"]+: \+1"/); // replies as "author: text", the cell starting with the author, not a formula
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);

    const edl = await call(`/api/v1/assets/${asset}/markers/export?format=edl`, { token: world.users.viewer.token });
    expect(edl.status).toBe(200);
    const body = await edl.text();
    expect(body.split("\r\n").slice(0, 2)).toEqual(["TITLE: 渋谷ロケ_01.mov", "FCM: DROP FRAME"]);
    expect(body).toContain("001  001      V     C        01:00:00;02 01:00:00;06 01:00:00;02 01:00:00;06");
    expect(body).toContain(" |C:ResolveColorYellow |M:テロップ 二行目 |D:4");
    expect(body).toContain(' |C:ResolveColorGreen |M:=HYPERLINK("http://evil") |D:1');

    expect((await call(`/api/v1/assets/${asset}/markers/export?format=xml`, { token: world.users.viewer.token })).status).toBe(400);
    expect((await call(`/api/v1/assets/${asset}/markers/export`, { token: world.users.otherTenantAdmin.token })).status).toBe(404);
  });
});

describe("deletion", () => {
  it("deleting the asset deletes its markers and replies", async () => {
    const asset = await freshClip();
    const m = await expectJson<Marker>(addMarker(asset, { startFrame: 1, text: "goes with the asset" }), 201);
    await expectJson(call(`/api/v1/markers/${m.id}/replies`, { method: "POST", json: { text: "and me" }, token: world.users.tenantAdmin.token }), 201);
    expect((await call(`/api/v1/assets/${asset}`, { method: "DELETE", token: world.users.tenantAdmin.token })).status).toBe(204);
    const left = await env.TENANT_DB_S0.prepare("SELECT COUNT(*) AS n FROM markers WHERE asset_id = ?").bind(asset).first<{ n: number }>();
    expect(left!.n).toBe(0);
    expect((await patchMarker(m.id, { resolved: true })).status).toBe(404);
  });
});
