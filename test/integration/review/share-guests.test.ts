/**
 * The guest's side of share links (issue #14) in workerd against real D1 and R2: e-mailed one-time
 * codes that verify a guest's address (once, throttled, also under a burst), the asset view with
 * its player media and markers, guests' markers, replies and verdicts seen by the team, previews
 * within the scope and the cap, the portal's cookie on /web/v1 (and never on /api/v1), and the
 * guest's identity in every audit event.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, ORIGIN, type ApiErrorBody } from "../../support/http";
import { buildWorld, expectJson, type World } from "../../support/world";
import { mediaFixture, seedAssets, uploadAsset, waitProcessed } from "../../support/assets";
import { shardOf } from "../../support/shards";
import { recordStatements } from "../../support/statements";
import { pseudoRandomBytes } from "../../support/generated";
import { outbox } from "../../support/identity";

let world: World;
let seed = 900;

type Created = { id: string; url: string; links: { recipientEmail: string | null; url: string }[] };
type Session = { guestToken: string; expiresAt: string; verification: { sentTo: string } | null };

const admin = () => world.users.tenantAdmin.token;
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
const tokenOf = (url: string) => new URL(url).pathname.replace(/^\/s\//, "");
const base = (t: string) => `/api/v1/public/shares/${t}`;

async function binaryAsset(name: string) {
  const created = await uploadAsset(admin(), world.p1, name, pseudoRandomBytes(4096, ++seed));
  return (await waitProcessed(admin(), created.id)).id;
}

async function clip(name: string) {
  const created = await uploadAsset(admin(), world.p1, name, mediaFixture("tmcd_df_01000000.mov"), { type: "video/quicktime" });
  return (await waitProcessed(admin(), created.id)).id;
}

const share = (json: Record<string, unknown>) =>
  expectJson<Created>(
    call("/api/v1/shares", { method: "POST", json: { projectId: world.p1, scope: "preview_download", expiresAt: inDays(1), ...json }, token: admin() }),
    201,
  );
const session = (t: string, json: unknown = {}) => call(`${base(t)}/session`, { method: "POST", json });
const verify = (t: string, guest: string, code: string) => call(`${base(t)}/session/verify`, { method: "POST", json: { code }, token: guest });
const open = async (t: string) => (await expectJson<Session>(session(t), 200)).guestToken;

async function codeSentTo(email: string): Promise<string> {
  const mails = await outbox(email);
  const match = /\b(\d{6})\b/.exec(mails[0]?.text ?? "");
  expect(match, `a code mailed to ${email}`).not.toBeNull();
  return match![1]!;
}

type Event = { actor: { type: string; id: string; email?: string | null }; target: { id: string } };

/** The newest event of an action, flattened (audit events are written as the request ends). */
async function lastEvent(action: string) {
  let found: Event | undefined;
  await expect
    .poll(async () => {
      const audit = await expectJson<{ items: Event[] }>(call(`/api/v1/audit?action=${action}&limit=1`, { token: admin() }), 200);
      found = audit.items[0];
      return found !== undefined;
    })
    .toBe(true);
  return { actor_type: found!.actor.type, actor_email: found!.actor.email ?? null, target_id: found!.target.id };
}

beforeAll(async () => {
  world = await buildWorld("shg");
});

describe("verifying a guest's address", () => {
  it("a recipient's link e-mails a code to the recipient; the token reaches nothing until the code; the code works once", async () => {
    const asset = await binaryAsset("verified.bin");
    const created = await share({ assetIds: [asset], verifyEmail: true, recipients: ["Reviewer@Example.com"] });
    const t = tokenOf(created.links[0]!.url);
    const started = await expectJson<Session>(session(t), 200);
    expect(started.verification).toEqual({ sentTo: "reviewer@example.com" });
    const pending = await call(`${base(t)}/assets`, { token: started.guestToken });
    expect(pending.status).toBe(401);
    expect(((await pending.json()) as ApiErrorBody).error.code).toBe("otp_required");

    const code = await codeSentTo("reviewer@example.com");
    const wrong = await verify(t, started.guestToken, code === "000000" ? "000001" : "000000");
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as ApiErrorBody).error.code).toBe("invalid_otp");
    // A burst of the right code: one request is admitted, the others find it used.
    const burst = await Promise.all(Array.from({ length: 6 }, () => verify(t, started.guestToken, code)));
    expect(burst.filter((r) => r.status === 200)).toHaveLength(1);
    expect(burst.every((r) => r.status === 200 || r.status === 401 || r.status === 409)).toBe(true);
    expect((await call(`${base(t)}/assets`, { token: started.guestToken })).status).toBe(200);
    // The code belonged to that session: another session of the same link cannot use it.
    const second = await expectJson<Session>(session(t), 200);
    expect((await verify(t, second.guestToken, code)).status).toBe(401);

    const accessed = await lastEvent("share.accessed");
    expect(accessed).toMatchObject({ actor_type: "guest", actor_email: "reviewer@example.com" });
    expect(JSON.stringify(await outbox("reviewer@example.com"))).not.toContain(t);
  });

  it("an anonymous link asks the guest for an address; the verified address names the guest; codes are throttled", async () => {
    const asset = await binaryAsset("anonymous-verified.bin");
    const created = await share({ assetIds: [asset], verifyEmail: true });
    const t = tokenOf(created.url);
    expect((await session(t)).status).toBe(400);
    const started = await expectJson<Session>(session(t, { email: "Visitor@Example.org" }), 200);
    await expectJson(verify(t, started.guestToken, await codeSentTo("visitor@example.org")), 200);
    const info = await expectJson<{ guest: { email: string } }>(call(base(t), { token: started.guestToken }), 200);
    expect(info.guest.email).toBe("visitor@example.org");
    // Five codes a link in ten minutes: a burst of mails is cut short, so nobody floods an inbox.
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => session(t, { email: `flood${i}@example.org` })));
    expect(burst.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(4);
    expect(burst.every((r) => r.status === 200 || r.status === 429)).toBe(true);
  });

  it("wrong codes are throttled per link, so a million codes cannot be tried", async () => {
    const asset = await binaryAsset("guess.bin");
    const t = tokenOf((await share({ assetIds: [asset], verifyEmail: true, recipients: ["guess@example.com"] })).links[0]!.url);
    const started = await expectJson<Session>(session(t), 200);
    const guesses = await Promise.all(Array.from({ length: 14 }, (_, i) => verify(t, started.guestToken, String(100000 + i))));
    expect(guesses.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(4);
    // Even the right code waits now.
    expect((await verify(t, started.guestToken, await codeSentTo("guess@example.com"))).status).toBe(429);
  });
});

describe("the guest's view of an asset", () => {
  it("has the player media on guest paths, the markers, and is audited as a view; outside assets are 404 on every path", async () => {
    const [inside, outside] = [await clip("inside.mov"), await clip("outside.mov")];
    await expectJson(call(`/api/v1/assets/${inside}/markers`, { method: "POST", json: { startFrame: 3, text: "team note" }, token: admin() }), 201);
    const t = tokenOf((await share({ assetIds: [inside], recipients: ["viewer@example.com"] })).links[0]!.url);
    const guest = await open(t);
    const view = await expectJson<{ asset: { id: string }; media: { status: string }; markers: { text: string }[]; approval: null }>(
      call(`${base(t)}/assets/${inside}`, { token: guest }),
      200,
    );
    expect(view.asset.id).toBe(inside);
    expect(view.markers.map((m) => m.text)).toEqual(["team note"]);
    expect(view.approval).toBeNull();
    expect(JSON.stringify(view.media)).not.toContain("/api/v1/assets/");
    const viewed = await lastEvent("share.viewed");
    expect(viewed).toMatchObject({ actor_type: "guest", actor_email: "viewer@example.com", target_id: inside });
    for (const path of ["", "/thumbnail", "/stream", "/derived/poster", "/original", "/proxy", "/markers"]) {
      expect((await call(`${base(t)}/assets/${outside}${path}`, { token: guest })).status, path).toBe(404);
    }
  });

  it("previews download within the scope and count against the cap; a preview-only share streams but hands out no file", async () => {
    const asset = await binaryAsset("cap.bin");
    // No transcoder output for random bytes: the proxy is 404 even where allowed; the original counts.
    const capped = tokenOf((await share({ assetIds: [asset], maxDownloads: 1, downloadProxy: false })).url);
    const guest = await open(capped);
    expect((await call(`${base(capped)}/assets/${asset}/proxy`, { token: guest })).status).toBe(403);
    const first = await call(`${base(capped)}/assets/${asset}/original`, { token: guest });
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    await expect.poll(async () => (await call(`${base(capped)}/assets/${asset}/original`, { token: guest })).status).toBe(403);

    const preview = tokenOf((await share({ assetIds: [asset], scope: "preview" })).url);
    const viewer = await open(preview);
    expect((await call(`${base(preview)}/assets/${asset}/original`, { token: viewer })).status).toBe(403);
    expect((await call(`${base(preview)}/assets/${asset}/proxy`, { token: viewer })).status).toBe(403);
  });
});

describe("guests' comments and verdicts", () => {
  it("a share that takes comments lets the guest add markers and replies, named by the guest; the team sees them", async () => {
    const asset = await clip("commented.mov");
    const quiet = tokenOf((await share({ assetIds: [asset], recipients: ["quiet@example.com"] })).links[0]!.url);
    const quietGuest = await open(quiet);
    expect((await call(`${base(quiet)}/assets/${asset}/markers`, { method: "POST", json: { startFrame: 1, text: "no" }, token: quietGuest })).status).toBe(403);

    const t = tokenOf((await share({ assetIds: [asset], comments: true, recipients: ["client@example.com"] })).links[0]!.url);
    const guest = await open(t);
    const marker = await expectJson<{ id: string; author: { type: string; name: string } }>(
      call(`${base(t)}/assets/${asset}/markers`, { method: "POST", json: { startFrame: 5, endFrame: 9, text: "Logo too small" }, token: guest }),
      201,
    );
    expect(marker.author).toMatchObject({ type: "guest", name: "client@example.com" });
    await expectJson(call(`${base(t)}/assets/${asset}/markers/${marker.id}/replies`, { method: "POST", json: { text: "and the colour" }, token: guest }), 201);
    // Validated exactly like the team's markers.
    expect((await call(`${base(t)}/assets/${asset}/markers`, { method: "POST", json: { startFrame: -1, text: "x" }, token: guest })).status).toBe(400);
    expect((await call(`${base(t)}/assets/${asset}/markers`, { method: "POST", json: { startFrame: 1, text: "x".repeat(2001) }, token: guest })).status).toBe(
      400,
    );

    const team = await expectJson<{ items: { id: string; text: string; author: { type: string }; replies: { text: string }[] }[] }>(
      call(`/api/v1/assets/${asset}/markers`, { token: admin() }),
      200,
    );
    const seen = team.items.find((m) => m.id === marker.id)!;
    expect(seen).toMatchObject({ text: "Logo too small", author: { type: "guest" } });
    expect(seen.replies.map((r) => r.text)).toEqual(["and the colour"]);
    const created = await lastEvent("marker.created");
    expect(created).toMatchObject({ actor_type: "guest", actor_email: "client@example.com" });
  });

  it("a share that asks for approval takes one verdict per guest and asset, changed at will; the team reads them", async () => {
    const asset = await binaryAsset("approve.bin");
    const created = await share({ assetIds: [asset], approval: true, recipients: ["a@example.com", "b@example.com"] });
    const [ta, tb] = created.links.map((l) => tokenOf(l.url)) as [string, string];
    const [ga, gb] = [await open(ta), await open(tb)];
    const put = (t: string, g: string, json: unknown) => call(`${base(t)}/assets/${asset}/approval`, { method: "PUT", json, token: g });
    expect((await put(ta, ga, { status: "maybe" })).status).toBe(400);
    await expectJson(put(ta, ga, { status: "needs_changes", note: "Cut 2 s earlier" }), 200);
    await expectJson(put(ta, ga, { status: "approved" }), 200);
    // A burst of verdicts from one guest leaves one row.
    await Promise.all(Array.from({ length: 5 }, () => put(tb, gb, { status: "needs_changes" })));
    const list = await expectJson<{ items: { guest: { email: string }; status: string; note: string | null }[] }>(
      call(`/api/v1/assets/${asset}/approvals`, { token: admin() }),
      200,
    );
    expect(list.items.map((i) => [i.guest.email, i.status, i.note]).sort()).toEqual([
      ["a@example.com", "approved", null],
      ["b@example.com", "needs_changes", null],
    ]);
    const noApproval = tokenOf((await share({ assetIds: [asset] })).url);
    expect((await put(noApproval, await open(noApproval), { status: "approved" })).status).toBe(403);
    // Another tenant's user cannot read them.
    expect((await call(`/api/v1/assets/${asset}/approvals`, { token: world.users.otherTenantAdmin.token })).status).toBe(404);
    // Deleting the file deletes the guests' verdicts on it (they name the guests) and its place in the share.
    expect((await call(`/api/v1/assets/${asset}`, { method: "DELETE", token: admin() })).status).toBe(204);
    const left = await env.TENANT_DB_S0.prepare(
      "SELECT (SELECT COUNT(*) FROM share_approvals WHERE asset_id = ?1) + (SELECT COUNT(*) FROM share_assets WHERE asset_id = ?1) AS n",
    )
      .bind(asset)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
  });
});

describe("guests' uploads", () => {
  it("land in the share's folder with an upload scope, named by the guest; other scopes refuse them", async () => {
    const folder = await expectJson<{ id: string }>(
      call(`/api/v1/projects/${world.p1}/folders`, { method: "POST", json: { name: `From the client ${++seed}` }, token: admin() }),
      201,
    );
    const otherFolder = await expectJson<{ id: string }>(
      call(`/api/v1/projects/${world.p2}/folders`, { method: "POST", json: { name: `Elsewhere ${++seed}` }, token: admin() }),
      201,
    );
    const asset = await binaryAsset("to-upload-beside.bin");
    expect(
      (
        await call("/api/v1/shares", {
          method: "POST",
          json: { projectId: world.p1, assetIds: [asset], scope: "preview_upload", expiresAt: inDays(1), uploadFolderId: otherFolder.id },
          token: admin(),
        })
      ).status,
    ).toBe(404);
    const t = tokenOf(
      (await share({ assetIds: [asset], scope: "preview_upload", uploadFolderId: folder.id, recipients: ["agency@example.com"] })).links[0]!.url,
    );
    const guest = await open(t);
    const upload = (name: string, g = guest, token = t) => {
      const form = new FormData();
      form.set("file", new File([pseudoRandomBytes(3000, ++seed)], name));
      form.set("folderId", "fol_aaaaaaaaaaaaaaaaaaaaaaaaaa"); // ignored: the share decides
      return call(`${base(token)}/uploads`, { method: "POST", body: form, token: g });
    };
    const uploaded = await expectJson<{ id: string; name: string }>(upload("素材_追加カット.mov"), 201);
    const stored = await expectJson<{ folderId: string; name: string }>(call(`/api/v1/assets/${uploaded.id}`, { token: admin() }), 200);
    expect(stored).toMatchObject({ folderId: folder.id, name: "素材_追加カット.mov" });
    const event = await lastEvent("asset.uploaded");
    expect(event).toMatchObject({ actor_type: "guest", actor_email: "agency@example.com", target_id: uploaded.id });
    // The guest still sees only what was shared, not their own upload.
    const listed = await expectJson<{ items: { id: string }[] }>(call(`${base(t)}/assets`, { token: guest }), 200);
    expect(listed.items.map((i) => i.id)).toEqual([asset]);

    const previewOnly = tokenOf((await share({ assetIds: [asset], scope: "preview_download" })).url);
    expect((await upload("nope.bin", await open(previewOnly), previewOnly)).status).toBe(403);
  });
});

describe("the portal's pages", () => {
  const post = (t: string, fields: Record<string, string>, cookie = "") =>
    call(`/s/${t}`, {
      method: "POST",
      body: new URLSearchParams(fields),
      redirect: "manual",
      headers: { Origin: ORIGIN, Host: new URL(ORIGIN).host, "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
    });

  it("a visit changes nothing; the gate's form takes what the API takes and sets the link's cookie; the page then lists the files", async () => {
    const asset = await binaryAsset("portal.bin");
    const created = await share({ assetIds: [asset], password: "Portal password 2026", recipients: ["portal@example.com"] });
    const t = tokenOf(created.links[0]!.url);
    const gate = await call(`/s/${t}`);
    expect(gate.status).toBe(200);
    expect(gate.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(gate.headers.get("X-Robots-Tag")).toContain("noindex");
    expect(await gate.text()).toContain('data-stage="open"');
    const untouched = await expectJson<{ links: { accesses: number }[] }>(call(`/api/v1/shares/${created.id}`, { token: admin() }), 200);
    expect(untouched.links[0]!.accesses).toBe(0);

    // Refused exactly as the API refuses: a wrong password, a password over 256 characters.
    expect(await (await post(t, { intent: "open", password: "wrong password" })).text()).toContain("invalid_credentials");
    expect(await (await post(t, { intent: "open", password: "x".repeat(300) })).text()).toContain("validation_failed");
    const opened = await post(t, { intent: "open", password: "Portal password 2026" });
    expect(opened.status).toBe(302);
    const cookie = opened.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^kura_guest_[0-9a-f]{16}=kura_g\./);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    const page = await call(`/s/${t}`, { headers: { Cookie: cookie.split(";")[0]! } });
    const html = await page.text();
    expect(html).toContain('data-testid="guest-files"');
    expect(html).toContain("portal.bin");
    expect(html).toContain('content="noindex, nofollow, noarchive"');
    // Leaving clears the cookie.
    const left = await post(t, { intent: "leave" }, cookie.split(";")[0]!);
    expect(left.headers.get("Set-Cookie")).toContain("Max-Age=0");
  });
});

describe("the portal's cookie", () => {
  it("works on the /web/v1 mirror and never on /api/v1; a bearer does not open /web/v1", async () => {
    const asset = await binaryAsset("cookie.bin");
    const t = tokenOf((await share({ assetIds: [asset] })).url);
    const guest = await open(t);
    const name = `kura_guest_${await sha256Hex(`cookie:${t}`).then((h) => h.slice(0, 16))}`;
    const cookie = { Cookie: `${name}=${guest}` };
    expect((await call(`/web/v1/public/shares/${t}/assets/${asset}`, { headers: cookie })).status).toBe(200);
    expect((await call(`${base(t)}/assets/${asset}`, { headers: cookie })).status).toBe(401);
    expect((await call(`/web/v1/public/shares/${t}/assets/${asset}`, { token: guest })).status).toBe(401);
    // Another link's cookie name does not fit.
    const other = tokenOf((await share({ assetIds: [asset] })).url);
    expect((await call(`/web/v1/public/shares/${other}/assets/${asset}`, { headers: cookie })).status).toBe(401);
    expect(ORIGIN).toMatch(/^https:/);
  });
});

describe("a large share", () => {
  type Listed = { items: { id: string; name: string }[]; nextCursor: string | null };

  it("pages its 1,234 files by name on the API (default 50, at most 200) and in the portal (the first 50 rendered, the rest from /web/v1)", async () => {
    const project = await expectJson<{ id: string }>(call("/api/v1/projects", { method: "POST", json: { name: "shg-large" }, token: admin() }), 201);
    const seeded = await seedAssets(await shardOf(world.tenantA.id), env.ASSETS, { tenantId: world.tenantA.id, projectId: project.id }, 1234);
    const collection = await expectJson<{ id: string }>(
      call("/api/v1/collections", { method: "POST", json: { projectId: project.id, name: "Everything" }, token: admin() }),
      201,
    );
    for (let i = 0; i < seeded.length; i += 200) {
      const assetIds = seeded.slice(i, i + 200).map((a) => a.id);
      await expectJson(call(`/api/v1/collections/${collection.id}/assets`, { method: "POST", json: { assetIds }, token: admin() }), 200);
    }
    const created = await expectJson<Created>(
      call("/api/v1/shares", {
        method: "POST",
        json: { projectId: project.id, collectionId: collection.id, scope: "preview", expiresAt: inDays(1) },
        token: admin(),
      }),
      201,
    );
    const t = tokenOf(created.url);
    const guest = await open(t);

    const first = await expectJson<Listed>(call(`${base(t)}/assets`, { token: guest }), 200);
    expect(first.items).toHaveLength(50);
    expect(first.nextCursor).toEqual(expect.any(String));
    const all: Listed["items"] = [];
    for (let cursor: string | null = "", pages = 0; cursor !== null; pages++) {
      expect(pages).toBeLessThan(10);
      const page: Listed = await expectJson<Listed>(call(`${base(t)}/assets?limit=200${cursor ? `&cursor=${cursor}` : ""}`, { token: guest }), 200);
      expect(page.items.length).toBeLessThanOrEqual(200);
      all.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(all.map((a) => a.id).sort()).toEqual(seeded.map((a) => a.id).sort());
    expect(all.map((a) => a.name)).toEqual(seeded.map((_, i) => `seed_${String(i).padStart(4, "0")}.bin`));
    expect(all.slice(0, 50).map((a) => a.id)).toEqual(first.items.map((a) => a.id));
    for (const bad of ["limit=201", "limit=0", "cursor=not-a-cursor"]) {
      const refused = await call(`${base(t)}/assets?${bad}`, { token: guest });
      expect(refused.status, bad).toBe(400);
      expect(((await refused.json()) as ApiErrorBody).error.code).toBe("validation_failed");
    }

    // The portal: the first page with the share's count, then the mirror with the portal's cookie.
    const cookie = { Cookie: `kura_guest_${(await sha256Hex(`cookie:${t}`)).slice(0, 16)}=${guest}` };
    const html = await (await call(`/s/${t}`, { headers: { ...cookie, "Accept-Language": "en" } })).text();
    expect(html.match(/data-testid="guest-asset"/g)).toHaveLength(50);
    expect(html).toMatch(/data-testid="guest-shown"[^>]*>Showing 50 of 1,234</);
    expect(html).toContain('data-testid="guest-more"');
    const next = await expectJson<Listed>(call(`/web/v1/public/shares/${t}/assets?cursor=${first.nextCursor}`, { headers: cookie }), 200);
    expect(next.items.map((a) => a.id)).toEqual(all.slice(50, 100).map((a) => a.id));
  });
});

describe("the share's statements", () => {
  /** The plans of the statements a guest's list and portal page run on the share's membership table. */
  async function membershipPlans(t: string, guest: string, table: "share_assets" | "collection_assets") {
    const cookie = `kura_guest_${(await sha256Hex(`cookie:${t}`)).slice(0, 16)}=${guest}`;
    const recording = recordStatements();
    try {
      await expectJson(call(`${base(t)}/assets`, { token: guest }), 200);
      expect((await call(`/s/${t}`, { headers: { Cookie: cookie } })).status).toBe(200);
    } finally {
      recording.stop();
    }
    const statements = [...new Set(recording.statements.filter((sql) => sql.includes(`"${table}"`)))];
    expect(statements.length, "the page, the count and the list").toBeGreaterThanOrEqual(2);
    const db = await shardOf(world.tenantA.id);
    return Promise.all(
      statements.map(async (sql) => {
        const plan = await db
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .bind(...Array.from(sql.matchAll(/\?/g), () => "x"))
          .all<{ detail: string }>();
        return plan.results.map((r) => r.detail).join(" / ");
      }),
    );
  }

  it("find the share's own membership rows by (tenant, share or collection), never every such row of the tenant", async () => {
    // Without statistics SQLite took the (tenant, asset) index for tenant_id alone: every share's
    // (or collection's) rows in the tenant were read to find this one's.
    const assetId = await binaryAsset("plans.bin");
    const bySelection = tokenOf((await share({ assetIds: [assetId] })).url);
    for (const plan of await membershipPlans(bySelection, await open(bySelection), "share_assets")) {
      expect(plan).toMatch(/share_assets USING (COVERING )?INDEX share_assets_share_idx \(tenant_id=\? AND share_id=\?/);
    }
    const collection = await expectJson<{ id: string }>(
      call("/api/v1/collections", { method: "POST", json: { projectId: world.p1, name: "Plans" }, token: admin() }),
      201,
    );
    await expectJson(call(`/api/v1/collections/${collection.id}/assets`, { method: "POST", json: { assetIds: [assetId] }, token: admin() }), 200);
    const byCollection = tokenOf((await share({ collectionId: collection.id })).url);
    for (const plan of await membershipPlans(byCollection, await open(byCollection), "collection_assets")) {
      expect(plan).toMatch(/collection_assets USING (COVERING )?INDEX collection_assets_collection_idx \(tenant_id=\? AND collection_id=\?/);
    }
  });
});

async function sha256Hex(s: string) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
