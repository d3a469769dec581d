/**
 * Share links (issue #14; contract "Review and sharing") in workerd against real D1 and R2: links
 * that carry only a token, per-recipient links, the password (throttled, also under a burst), guest
 * tokens, the download cap under a burst of parallel downloads, byte-identical originals, and 404
 * for expired, paused and revoked shares on every guest endpoint and for any asset outside.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, operator, type ApiErrorBody } from "../../support/http";
import { buildWorld, expectJson, type World } from "../../support/world";
import { uploadAsset, waitProcessed } from "../../support/assets";
import { pseudoRandomBytes } from "../../support/generated";

let world: World;
let seed = 500;

type Created = { id: string; url: string; password?: string; links: { recipientEmail: string | null; url: string }[] };
type ShareView = { state: string; links: { recipientEmail: string | null; accesses: number; downloads: number; lastAccessAt: string | null }[] };

const admin = () => world.users.tenantAdmin.token;
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
const tokenOf = (url: string) => new URL(url).pathname.replace(/^\/s\//, "");

async function assetIn(projectId: string, name: string, bytes = pseudoRandomBytes(2048, ++seed)) {
  const created = await uploadAsset(admin(), projectId, name, bytes);
  return (await waitProcessed(admin(), created.id)).id;
}

const share = (json: Record<string, unknown>, token = admin()) =>
  call("/api/v1/shares", { method: "POST", json: { projectId: world.p1, scope: "preview_download", expiresAt: inDays(1), ...json }, token });
const session = (t: string, json: unknown = {}) => call(`/api/v1/public/shares/${t}/session`, { method: "POST", json });
const guestAssets = (t: string, guest: string | null) => call(`/api/v1/public/shares/${t}/assets`, { token: guest });
const guestOriginal = (t: string, assetId: string, guest: string | null) => call(`/api/v1/public/shares/${t}/assets/${assetId}/original`, { token: guest });
const open = async (t: string, password?: string) => (await expectJson<{ guestToken: string }>(session(t, password ? { password } : {}), 200)).guestToken;

beforeAll(async () => {
  world = await buildWorld("shr");
});

describe("creating shares", () => {
  it("answers the URL (the token only), a made password once, and one link per recipient", async () => {
    const asset = await assetIn(world.p1, "a.bin");
    const created = await expectJson<Created>(
      share({ assetIds: [asset], generatePassword: true, recipients: ["Client@Example.com", "editor@example.com"] }),
      201,
    );
    expect(created.url).toMatch(/^https:\/\/kura\.test\/s\/[a-z2-7]{32}$/);
    expect(created.password).toMatch(/^[a-z2-7]{16}$/);
    expect(created.links.map((l) => l.recipientEmail)).toEqual(["client@example.com", "editor@example.com"]);
    expect(new Set(created.links.map((l) => l.url)).size).toBe(2);
    // Only hashes are stored.
    const stored = await env.TENANT_DB_S0.prepare("SELECT token_hash FROM share_links WHERE share_id = ?").bind(created.id).all<{ token_hash: string }>();
    for (const row of stored.results) expect(created.links.some((l) => l.url.includes(row.token_hash))).toBe(false);
    const view = await expectJson<{ hasPassword: boolean; state: string; links: unknown[] }>(call(`/api/v1/shares/${created.id}`, { token: admin() }), 200);
    expect(view).toMatchObject({ hasPassword: true, state: "active" });
    expect(JSON.stringify(view)).not.toContain(created.password!);
  });

  it("refuses what is not a share: no expiry, a past or too distant one, both or neither of assets and collection, another project's assets", async () => {
    const asset = await assetIn(world.p1, "b.bin");
    const other = await assetIn(world.p2, "other.bin");
    const collection = await expectJson<{ id: string }>(
      call("/api/v1/collections", { method: "POST", json: { projectId: world.p1, name: "c" }, token: admin() }),
      201,
    );
    for (const json of [
      { assetIds: [asset], expiresAt: undefined },
      { assetIds: [asset], expiresAt: inDays(-1) },
      { assetIds: [asset], expiresAt: inDays(400) },
      { assetIds: [asset], collectionId: collection.id },
      {},
      { assetIds: [asset], scope: "everything" },
      { assetIds: [asset], password: "short" },
      { assetIds: [asset], password: "long enough", generatePassword: true },
      { assetIds: [asset], recipients: ["not an e-mail"] },
      { assetIds: [asset], maxDownloads: 0 },
    ]) {
      expect((await share(json)).status, JSON.stringify(json)).toBe(400);
    }
    expect((await share({ assetIds: [other] })).status).toBe(404);
    expect((await share({ assetIds: [asset] }, world.users.viewer.token)).status).toBe(403);
    expect((await share({ assetIds: [asset] }, world.users.otherTenantAdmin.token)).status).toBe(404);
  });
});

describe("the tenant's share policy", () => {
  it("its locked choices bind every share; its longest expiry always holds; only tenant admins set it", async () => {
    const asset = await assetIn(world.p1, "policy.bin");
    const policy = {
      defaultExpiryDays: 7,
      maxExpiryDays: 30,
      passwordRequired: true,
      anonymousLinks: false,
      downloads: false,
      locked: { expiry: false, password: true, anonymousLinks: true, downloads: true },
    };
    expect((await call("/api/v1/tenant/settings", { method: "PATCH", json: { sharePolicy: policy }, token: world.users.projectAdmin.token })).status).toBe(403);
    expect(
      (await call("/api/v1/tenant/settings", { method: "PATCH", json: { sharePolicy: { ...policy, defaultExpiryDays: 60 } }, token: admin() })).status,
    ).toBe(400);
    const saved = await expectJson<{ sharePolicy: typeof policy }>(
      call("/api/v1/tenant/settings", { method: "PATCH", json: { sharePolicy: policy }, token: admin() }),
      200,
    );
    expect(saved.sharePolicy).toEqual(policy);
    const ok = { assetIds: [asset], scope: "preview", password: "Long enough 1", recipients: ["a@example.com"] };
    for (const json of [
      { ...ok, password: undefined },
      { ...ok, recipients: undefined },
      { ...ok, scope: "preview_download" },
      { ...ok, expiresAt: inDays(31) },
    ]) {
      expect((await share(json)).status, JSON.stringify(json)).toBe(400);
    }
    const created = await expectJson<Created>(share(ok), 201);
    expect((await call(`/api/v1/shares/${created.id}`, { method: "PATCH", json: { scope: "preview_download" }, token: admin() })).status).toBe(400);
    // Unlocked, the same values are only defaults.
    await expectJson(
      call("/api/v1/tenant/settings", {
        method: "PATCH",
        json: { sharePolicy: { ...policy, locked: { password: false, anonymousLinks: false, downloads: false } } },
        token: admin(),
      }),
      200,
    );
    await expectJson(share({ assetIds: [asset], scope: "preview_download" }), 201);
    await expectJson(call("/api/v1/tenant/settings", { method: "PATCH", json: { sharePolicy: {} }, token: admin() }), 200);
  });
});

describe("guests", () => {
  it("need the password (wrong and missing refused), then see exactly the share's assets; nothing else by id", async () => {
    const [a, b, outside] = [await assetIn(world.p1, "in-a.bin"), await assetIn(world.p1, "in-b.bin"), await assetIn(world.p1, "outside.bin")];
    const created = await expectJson<Created>(share({ assetIds: [a, b], password: "Correct horse 2026" }), 201);
    const t = tokenOf(created.url);
    expect((await session(t)).status).toBe(401);
    const wrong = await session(t, { password: "wrong password" });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as ApiErrorBody).error.code).toBe("invalid_credentials");
    const guest = await open(t, "Correct horse 2026");

    expect((await guestAssets(t, null)).status).toBe(401);
    expect((await guestAssets(t, admin())).status).toBe(401); // a member's token is not a guest's
    const listed = await expectJson<{ items: { id: string; name: string }[] }>(guestAssets(t, guest), 200);
    expect(listed.items.map((i) => i.name)).toEqual(["in-a.bin", "in-b.bin"]);
    expect((await guestOriginal(t, outside, guest)).status).toBe(404);
    // A guest token opens only its own link.
    const another = tokenOf((await expectJson<Created>(share({ assetIds: [outside] }), 201)).url);
    expect((await guestAssets(another, guest)).status).toBe(401);
    const view = await expectJson<ShareView>(call(`/api/v1/shares/${created.id}`, { token: admin() }), 200);
    expect(view.links[0]).toMatchObject({ accesses: 1, downloads: 0 });
    expect(view.links[0]!.lastAccessAt).not.toBeNull();
  });

  it("one recipient's link can be revoked on its own; the others go on", async () => {
    const asset = await assetIn(world.p1, "per-recipient.bin");
    const created = await expectJson<Created>(share({ assetIds: [asset], recipients: ["one@example.com", "two@example.com"] }), 201);
    const [one, two] = created.links.map((l) => tokenOf(l.url)) as [string, string];
    const [guestOne, guestTwo] = [await open(one), await open(two)];
    const view = await expectJson<{ links: { id: string; recipientEmail: string }[] }>(call(`/api/v1/shares/${created.id}`, { token: admin() }), 200);
    const linkOne = view.links.find((l) => l.recipientEmail === "one@example.com")!.id;
    expect((await call(`/api/v1/shares/${created.id}/links/${linkOne}`, { method: "DELETE", token: world.users.viewer.token })).status).toBe(403);
    expect((await call(`/api/v1/shares/${created.id}/links/${linkOne}`, { method: "DELETE", token: admin() })).status).toBe(204);
    expect([(await session(one)).status, (await guestAssets(one, guestOne)).status, (await guestOriginal(one, asset, guestOne)).status]).toEqual([
      404, 404, 404,
    ]);
    expect((await guestAssets(two, guestTwo)).status).toBe(200);
    const after = await expectJson<{ state: string; links: { recipientEmail: string; revoked: boolean }[] }>(
      call(`/api/v1/shares/${created.id}`, { token: admin() }),
      200,
    );
    expect(after.state).toBe("active");
    expect(after.links.map((l) => [l.recipientEmail, l.revoked])).toEqual([
      ["one@example.com", true],
      ["two@example.com", false],
    ]);
  });

  it("a burst of wrong passwords is throttled, and then even the right one waits", async () => {
    const created = await expectJson<Created>(share({ assetIds: [await assetIn(world.p1, "pw.bin")], password: "Right password 1" }), 201);
    const t = tokenOf(created.url);
    const statuses = await Promise.all(Array.from({ length: 14 }, () => session(t, { password: "guess guess" }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
    expect((await session(t, { password: "Right password 1" })).status).toBe(429);
  });

  it("a cap of 1: of a burst of downloads exactly one gets the bytes, identical to the original; the next is refused", async () => {
    const bytes = pseudoRandomBytes(300_000, 77);
    const asset = await assetIn(world.p1, "master.mov", bytes);
    const created = await expectJson<Created>(share({ assetIds: [asset], maxDownloads: 1, recipients: ["client@example.com"] }), 201);
    const t = tokenOf(created.url);
    const guest = await open(t);
    const responses = await Promise.all(Array.from({ length: 4 }, () => guestOriginal(t, asset, guest)));
    const ok = responses.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    expect(responses.filter((r) => r.status === 403)).toHaveLength(3);
    for (const r of responses) if (r.status !== 200) await r.body?.cancel();
    const got = new Uint8Array(await ok[0]!.arrayBuffer());
    expect(got.length).toBe(bytes.length);
    expect(got.every((v, i) => v === bytes[i])).toBe(true);
    await expect.poll(async () => (await expectJson<ShareView>(call(`/api/v1/shares/${created.id}`, { token: admin() }), 200)).links[0]!.downloads).toBe(1);
    expect((await guestOriginal(t, asset, guest)).status).toBe(403);
    // The guest's access and download are in the tenant's audit log, under the recipient's e-mail.
    type Event = { action: string; actor: { type: string; email?: string }; target: { id: string }; details?: { shareId?: string } };
    await expect
      .poll(async () => {
        const audit = await expectJson<{ items: Event[] }>(call("/api/v1/audit?limit=200", { token: admin() }), 200);
        return audit.items
          .filter((e) => e.actor.type === "guest" && (e.target.id === created.id || e.details?.shareId === created.id))
          .map((e) => [e.action, e.actor.email])
          .sort();
      })
      .toEqual([
        ["share.accessed", "client@example.com"],
        ["share.downloaded", "client@example.com"],
      ]);
  });

  it("a preview share shows but does not hand out originals", async () => {
    const asset = await assetIn(world.p1, "preview.bin");
    const t = tokenOf((await expectJson<Created>(share({ assetIds: [asset], scope: "preview" }), 201)).url);
    const guest = await open(t);
    await expectJson(guestAssets(t, guest), 200);
    expect((await guestOriginal(t, asset, guest)).status).toBe(403);
  });

  it("a collection's share is live: an asset added later is there", async () => {
    const collection = await expectJson<{ id: string }>(
      call("/api/v1/collections", { method: "POST", json: { projectId: world.p1, name: "live" }, token: admin() }),
      201,
    );
    const t = tokenOf((await expectJson<Created>(share({ collectionId: collection.id }), 201)).url);
    const guest = await open(t);
    expect((await expectJson<{ items: unknown[] }>(guestAssets(t, guest), 200)).items).toEqual([]);
    const later = await assetIn(world.p1, "later.bin");
    await expectJson(call(`/api/v1/collections/${collection.id}/assets/${later}`, { method: "PUT", token: admin() }), 200);
    expect((await expectJson<{ items: { id: string }[] }>(guestAssets(t, guest), 200)).items.map((i) => i.id)).toEqual([later]);
  });
});

describe("paused, expired and revoked shares", () => {
  it("give 404 on every guest endpoint; resumed, the same URL works again", async () => {
    const asset = await assetIn(world.p1, "state.bin");
    const created = await expectJson<Created>(share({ assetIds: [asset] }), 201);
    const t = tokenOf(created.url);
    const guest = await open(t);
    // Every guest endpoint of the API, their /web/v1 mirrors and the portal's pages (valid bodies: the state decides, not the body).
    const a = `/api/v1/public/shares/${t}/assets/${asset}`;
    const mrk = "mrk_aaaaaaaaaaaaaaaaaaaaaaaaaa";
    const upload = () => {
      const form = new FormData();
      form.set("file", new File(["x"], "x.bin"));
      return form;
    };
    const calls: [string, RequestInit & { json?: unknown }][] = [
      [`/api/v1/public/shares/${t}`, {}],
      [`/api/v1/public/shares/${t}/session/verify`, { method: "POST", json: { code: "123456" } }],
      [`/api/v1/public/shares/${t}/uploads`, { method: "POST", body: upload() }],
      [a, {}],
      ...["thumbnail", "stream", "derived/poster", "original", "proxy", "markers"].map((p): [string, RequestInit] => [`${a}/${p}`, {}]),
      [`${a}/markers`, { method: "POST", json: { startFrame: 0, text: "x" } }],
      [`${a}/markers/${mrk}/replies`, { method: "POST", json: { text: "x" } }],
      [`${a}/approval`, { method: "PUT", json: { status: "approved" } }],
    ];
    const everyEndpoint = async () => {
      const statuses = [(await session(t)).status, (await guestAssets(t, guest)).status, (await guestOriginal(t, asset, guest)).status];
      for (const [path, init] of calls) {
        statuses.push((await call(path, { ...init, ...(init.method === "POST" && path.endsWith("/uploads") ? { body: upload() } : {}), token: guest })).status);
      }
      statuses.push((await call(`/web/v1/public/shares/${t}/assets/${asset}`)).status, (await call(`/s/${t}`)).status, (await call(`/s/${t}/${asset}`)).status);
      return [...new Set(statuses)];
    };

    await expectJson(call(`/api/v1/shares/${created.id}`, { method: "PATCH", json: { paused: true }, token: admin() }), 200);
    expect(await everyEndpoint()).toEqual([404]);
    await expectJson(call(`/api/v1/shares/${created.id}`, { method: "PATCH", json: { paused: false }, token: admin() }), 200);
    expect((await guestAssets(t, guest)).status).toBe(200);
    // Live, the same calls reach the share (so the 404s above are the state's).
    expect(await everyEndpoint()).toContain(200);

    await env.TENANT_DB_S0.prepare("UPDATE shares SET expires_at = ? WHERE id = ?").bind(inDays(-0.001), created.id).run();
    expect(await everyEndpoint()).toEqual([404]);
    expect((await expectJson<ShareView>(call(`/api/v1/shares/${created.id}`, { token: admin() }), 200)).state).toBe("expired");
    await expectJson(call(`/api/v1/shares/${created.id}`, { method: "PATCH", json: { expiresAt: inDays(2) }, token: admin() }), 200);
    expect((await guestAssets(t, guest)).status).toBe(200);

    expect((await call(`/api/v1/shares/${created.id}`, { method: "DELETE", token: admin() })).status).toBe(204);
    expect(await everyEndpoint()).toEqual([404]);
    expect((await call(`/api/v1/shares/${created.id}`, { method: "PATCH", json: { paused: false }, token: admin() })).status).toBe(409);
    // Even a restore of the older rows cannot bring it back: its token has left the control plane's index.
    const revokedAt = (await env.TENANT_DB_S0.prepare("SELECT revoked_at FROM shares WHERE id = ?").bind(created.id).first<{ revoked_at: string }>())!
      .revoked_at;
    await env.TENANT_DB_S0.prepare("UPDATE share_links SET revoked_at = NULL WHERE share_id = ?").bind(created.id).run();
    await env.TENANT_DB_S0.prepare("UPDATE shares SET revoked_at = NULL WHERE id = ?").bind(created.id).run();
    expect(await everyEndpoint()).toEqual([404]);
    await env.TENANT_DB_S0.prepare("UPDATE shares SET revoked_at = ? WHERE id = ?").bind(revokedAt, created.id).run();
    // Unknown and malformed tokens are 404 alike: no hint which is which.
    expect((await session("a".repeat(32))).status).toBe(404);
    expect((await session("not-a-token")).status).toBe(404);
  });

  it("the project's list shows each share's state and its links' counters", async () => {
    const listed = await expectJson<{ items: ShareView[] }>(call(`/api/v1/projects/${world.p1}/shares`, { token: admin() }), 200);
    expect(listed.items.length).toBeGreaterThan(3);
    expect(new Set(listed.items.map((s) => s.state))).toEqual(new Set(["active", "revoked"]));
    expect((await call(`/api/v1/projects/${world.p1}/shares`, { token: world.users.viewer.token })).status).toBe(403);
  });

  it("terminating the tenant stops every share at once", async () => {
    const asset = await assetIn(world.p1, "last.bin");
    const t = tokenOf((await expectJson<Created>(share({ assetIds: [asset] }), 201)).url);
    const guest = await open(t);
    expect((await operator(`/api/v1/operator/tenants/${world.tenantA.id}/terminate`, { method: "POST", json: {} })).status).toBeLessThan(300);
    expect((await session(t)).status).toBe(404);
    expect((await guestAssets(t, guest)).status).toBe(404);
  });
});
