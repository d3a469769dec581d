/**
 * The team's share screens (issue #14) through the real Worker with browser sessions: the create
 * form on the browse page and a collection's page (validated exactly as POST /shares), the links
 * and QR codes shown once, the e-mails to recipients, the project's shares screen (pause, resume,
 * change, revoke, revoke one link), the admin's screen and its share policy form, and the
 * tenant-wide list GET /api/v1/shares (tenant admins; other tenants' shares never appear; paging).
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { listOutbox } from "~/.server/mail/outbox.server";
import { pseudoRandomBytes, uploadAsset, waitProcessed } from "../../support/assets";
import { browserSignIn, call, ORIGIN, type ApiErrorBody } from "../../support/http";
import { decodeQrPath } from "../../support/qr-decode";
import { buildWorld, expectJson, PASSWORD, snapshotTenant, type Account, type World } from "../../support/world";

let w: World;
let seed = 900;
const cookies = new Map<string, string>();

type ShareItem = {
  id: string;
  projectId: string;
  projectName: string;
  collectionId: string | null;
  collectionName: string | null;
  state: string;
  scope: string;
  paused: boolean;
  expiresAt: string;
  maxDownloads: number | null;
  hasPassword: boolean;
  comments: boolean;
  links: { id: string; recipientEmail: string | null; revoked: boolean; accesses: number; downloads: number }[];
};
type Page = { items: ShareItem[]; nextCursor: string | null };

const admin = () => w.users.tenantAdmin.token;
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

async function cookieOf(a: Account) {
  if (!cookies.has(a.email)) cookies.set(a.email, await browserSignIn({ tenant: a.tenantSlug, email: a.email, password: PASSWORD }));
  return cookies.get(a.email)!;
}

async function post(path: string, fields: Record<string, string>, a: Account = w.users.tenantAdmin) {
  return call(path, {
    method: "POST",
    redirect: "manual",
    headers: {
      Origin: ORIGIN,
      Host: new URL(ORIGIN).host,
      "Accept-Language": "en",
      Cookie: await cookieOf(a),
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(fields),
  });
}

async function page(path: string, a: Account = w.users.tenantAdmin) {
  return call(path, { redirect: "manual", headers: { "Accept-Language": "en", Cookie: await cookieOf(a) } });
}

async function html(res: Response | Promise<Response>, status = 200) {
  const r = await res;
  const text = await r.text();
  expect(r.status, text.slice(0, 400)).toBe(status);
  return text;
}

async function assetIn(projectId: string, name: string) {
  const created = await uploadAsset(admin(), projectId, name, pseudoRandomBytes(1024, ++seed));
  return (await waitProcessed(admin(), created.id)).id;
}

const apiShare = (json: Record<string, unknown>, token = admin()) =>
  call("/api/v1/shares", { method: "POST", json: { projectId: w.p1, scope: "preview", expiresAt: inDays(3), ...json }, token });

/** A local date and time (datetime-local) `days` from now in UTC, at 10:00. */
const localDay = (days: number) => `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T10:00`;

/** The links the page shows once: each URL with its QR code's path data. */
function shownLinks(text: string) {
  const items = [...text.matchAll(/<li class="share-link" data-testid="share-link" data-recipient="([^"]*)">([\s\S]*?)<\/li>/g)];
  return items.map(([, recipient, body]) => ({
    recipient: recipient!,
    url: /<code[^>]*data-testid="share-link-url"[^>]*>([^<]+)<\/code>/.exec(body!)![1]!,
    qr: { size: Number(/viewBox="0 0 (\d+) \1"/.exec(body!)![1]), path: /<path d="([^"]+)"/.exec(body!)![1]! },
  }));
}

const shownPassword = (text: string) => /<code[^>]*data-testid="share-password"[^>]*>([^<]+)<\/code>/.exec(text)?.[1] ?? null;
const formRefused = (text: string) => text.includes('data-testid="form-error" data-code="validation_failed"');

beforeAll(async () => {
  w = await buildWorld("shs");
  // The admin sees times in New York's zone: a typed expiry is read there.
  await expectJson(call("/api/v1/me", { method: "PATCH", json: { timeZone: "America/New_York" }, token: admin() }), 200);
}, 120_000);

describe("creating a share on the browse page", () => {
  it("makes one link per recipient, shows each once with a QR code that decodes to it, and the made password once", async () => {
    const [a, b] = [await assetIn(w.p1, "cut-a.mov"), await assetIn(w.p1, "cut-b.mov")];
    const text = await html(
      post(`/projects/${w.p1}?index`, {
        intent: "share-create",
        assetIds: `${a},${b}`,
        linkKind: "recipients",
        recipients: "Client@Example.com\neditor@example.com",
        scope: "preview_download",
        downloadOriginal: "on",
        comments: "on",
        expiresAt: localDay(5),
        protection: "generate",
        maxDownloads: "3",
      }),
    );
    const links = shownLinks(text);
    expect(links.map((l) => l.recipient)).toEqual(["client@example.com", "editor@example.com"]);
    for (const link of links) {
      expect(link.url).toMatch(/^https:\/\/kura\.test\/s\/[a-z2-7]{32}$/);
      expect(decodeQrPath(link.qr.path, link.qr.size)).toBe(link.url);
    }
    const password = shownPassword(text);
    expect(password).toMatch(/^[a-z2-7]{16}$/);

    const shareId = /data-testid="share-created" data-share-id="(shr_[a-z2-7]{26})"/.exec(text)![1]!;
    const view = await expectJson<ShareItem>(call(`/api/v1/shares/${shareId}`, { token: admin() }), 200);
    expect(view).toMatchObject({ scope: "preview_download", hasPassword: true, maxDownloads: 3, comments: true, state: "active" });
    // 10:00 in New York that day (EST or EDT), whatever the server's zone.
    const [y, m, d] = localDay(5).slice(0, 10).split("-").map(Number) as [number, number, number];
    expect([Date.UTC(y, m - 1, d, 14), Date.UTC(y, m - 1, d, 15)]).toContain(Date.parse(view.expiresAt));
    // Shown once: the shares screen has neither the URLs nor the password.
    const screen = await html(page(`/projects/${w.p1}/shares`));
    expect(screen).toContain(shareId);
    for (const link of links) expect(screen).not.toContain(link.url);
    expect(screen).not.toContain(password!);
  });

  it("refuses on the page exactly what the API refuses, and changes nothing", async () => {
    const asset = await assetIn(w.p1, "refused.mov");
    const collection = await expectJson<{ id: string }>(
      call("/api/v1/collections", { method: "POST", json: { projectId: w.p1, name: "Refusals" }, token: admin() }),
      201,
    );
    const good = { intent: "share-create", assetIds: asset, linkKind: "recipients", recipients: "ok@example.com", scope: "preview", expiresAt: localDay(3) };
    const api = { assetIds: [asset], recipients: ["ok@example.com"], scope: "preview", expiresAt: inDays(3) };
    const cases: [Record<string, string>, Record<string, unknown>, string][] = [
      [{ recipients: "not an address" }, { recipients: ["not an address"] }, "recipients"],
      [{ recipients: "" }, { recipients: [] }, "recipients"],
      [{ expiresAt: localDay(-2) }, { expiresAt: inDays(-2) }, "expiresAt"],
      [{ expiresAt: localDay(400) }, { expiresAt: inDays(400) }, "expiresAt"],
      [{ expiresAt: "someday" }, { expiresAt: "someday" }, "expiresAt"],
      [{ protection: "own", password: "short" }, { password: "short" }, "password"],
      [{ maxDownloads: "0" }, { maxDownloads: 0 }, "maxDownloads"],
      [{ maxDownloads: "many" }, { maxDownloads: "many" }, "maxDownloads"],
      [{ scope: "everything" }, { scope: "everything" }, "scope"],
      [{ notify: "on", message: "bell\u0007" }, { notify: true, message: "bell\u0007" }, "message"],
      [{ assetIds: "ast_aaaaaaaaaaaaaaaaaaaaaaaaaa,../x" }, { assetIds: ["ast_aaaaaaaaaaaaaaaaaaaaaaaaaa", "../x"] }, "assetIds"],
    ];
    for (const [form, json, field] of cases) {
      const res = await apiShare({ ...api, ...json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(((await res.json()) as ApiErrorBody).error.code).toBe("validation_failed");
      const before = await snapshotTenant(w.tenantA.id);
      const text = await html(post(`/projects/${w.p1}?index`, { ...good, ...form }));
      expect(formRefused(text), JSON.stringify(form)).toBe(true);
      expect(text).not.toContain('data-testid="share-created"');
      expect(await snapshotTenant(w.tenantA.id), JSON.stringify(form)).toBe(before);
      // A collection's page shows its form without a selection: there the refusal is said on its field.
      if (field === "assetIds") continue;
      const onField = await html(post(`/projects/${w.p1}/collections/${collection.id}`, { ...good, ...form }));
      expect(formRefused(onField), JSON.stringify(form)).toBe(true);
      expect(onField, field).toContain(`data-testid="error-${field}"`);
      expect(await snapshotTenant(w.tenantA.id), JSON.stringify(form)).toBe(before);
    }
    // Without share.create the intent is refused before anything is read (the viewer holds asset.view only).
    const denied = await post(`/projects/${w.p1}?index`, good, w.users.viewer);
    await denied.text();
    expect(denied.status).toBe(403);
    // Another project's asset is not found, as on the API.
    const other = await assetIn(w.p2, "elsewhere.mov");
    expect((await apiShare({ ...api, assetIds: [other] })).status).toBe(404);
    expect((await post(`/projects/${w.p1}?index`, { ...good, assetIds: other })).status).toBe(404);
  });

  it("e-mails each recipient their own link (never the password), with the message", async () => {
    const asset = await assetIn(w.p1, "notify.mov");
    const text = await html(
      post(`/projects/${w.p1}?index`, {
        intent: "share-create",
        assetIds: asset,
        linkKind: "recipients",
        recipients: "first@notify.example, second@notify.example",
        scope: "preview",
        expiresAt: localDay(2),
        protection: "own",
        password: "Tokyo premiere 2026",
        notify: "on",
        message: "Cut 3, please look at the opening.",
      }),
    );
    const links = shownLinks(text);
    expect(links).toHaveLength(2);
    expect(text).toContain("e-mailed to 2 recipients");
    for (const link of links) {
      const [mail, ...more] = await listOutbox(env, { to: link.recipient, limit: 5 });
      expect(more).toEqual([]);
      expect(mail!.subject).toContain("shared files with you");
      expect(mail!.text).toContain(link.url);
      for (const otherLink of links.filter((l) => l !== link)) expect(mail!.text).not.toContain(otherLink.url);
      expect(mail!.text).toContain("> Cut 3, please look at the opening.");
      expect(mail!.text).toContain("a password");
      expect(mail!.text).not.toContain("Tokyo premiere 2026");
      // Japanese first, then English (the recipient's language is unknown).
      expect(mail!.text.indexOf("共有しました")).toBeLessThan(mail!.text.indexOf("shared 1 file(s)"));
    }
    // Without notify nobody is e-mailed.
    await html(
      post(`/projects/${w.p1}?index`, {
        intent: "share-create",
        assetIds: asset,
        linkKind: "recipients",
        recipients: "quiet@notify.example",
        scope: "preview",
        expiresAt: localDay(2),
      }),
    );
    expect(await listOutbox(env, { to: "quiet@notify.example", limit: 5 })).toEqual([]);
  });
});

describe("sharing a collection from its page", () => {
  it("shares the collection of the URL (a posted selection is ignored), one anonymous link", async () => {
    const asset = await assetIn(w.p1, "in-collection.mov");
    const collection = await expectJson<{ id: string }>(
      call("/api/v1/collections", { method: "POST", json: { projectId: w.p1, name: "Client selects" }, token: admin() }),
      201,
    );
    await expectJson(call(`/api/v1/collections/${collection.id}/assets/${asset}`, { method: "PUT", token: admin() }), 200);
    const pageText = await html(page(`/projects/${w.p1}/collections/${collection.id}`));
    expect(pageText).toContain('data-testid="share-collection"');
    const other = await assetIn(w.p1, "not-in-collection.mov");
    const text = await html(
      post(`/projects/${w.p1}/collections/${collection.id}`, {
        intent: "share-create",
        assetIds: other,
        linkKind: "anonymous",
        scope: "preview",
        expiresAt: localDay(1),
      }),
    );
    const [link, ...more] = shownLinks(text);
    expect(more).toEqual([]);
    expect(link!.recipient).toBe("");
    expect(decodeQrPath(link!.qr.path, link!.qr.size)).toBe(link!.url);
    const shareId = /data-share-id="(shr_[a-z2-7]{26})"/.exec(text)![1]!;
    const view = await expectJson<ShareItem & { assetCount: number }>(call(`/api/v1/shares/${shareId}`, { token: admin() }), 200);
    expect(view).toMatchObject({ collectionId: collection.id, assetCount: 1 });
    // A collection of another project through this project's URL is a 404.
    const foreign = await expectJson<{ id: string }>(
      call("/api/v1/collections", { method: "POST", json: { projectId: w.p2, name: "Theirs" }, token: admin() }),
      201,
    );
    expect(
      (await post(`/projects/${w.p1}/collections/${foreign.id}`, { intent: "share-create", linkKind: "anonymous", scope: "preview", expiresAt: localDay(1) }))
        .status,
    ).toBe(404);
  });
});

describe("the project's shares screen", () => {
  it("pauses, resumes, changes (same URL) and revokes a share, and revokes one recipient's link", async () => {
    const asset = await assetIn(w.p1, "screen.mov");
    const created = await expectJson<{ id: string; links: { recipientEmail: string; url: string }[] }>(
      apiShare({ assetIds: [asset], recipients: ["one@screen.example", "two@screen.example"] }),
      201,
    );
    const token = new URL(created.links[0]!.url).pathname.slice(3);
    const guestSession = () => call(`/api/v1/public/shares/${token}/session`, { method: "POST", json: {} });
    const screen = `/projects/${w.p1}/shares`;
    const view = () => expectJson<ShareItem>(call(`/api/v1/shares/${created.id}`, { token: admin() }), 200);

    const listed = await html(page(screen));
    expect(listed).toContain(`data-share-id="${created.id}" data-state="active"`);
    expect(listed).toContain("one@screen.example");

    expect(await html(post(screen, { intent: "pause", shareId: created.id }))).toContain("Paused.");
    expect((await view()).state).toBe("paused");
    expect((await guestSession()).status).toBe(404);
    expect(await html(page(`${screen}?state=paused`))).toContain(`data-share-id="${created.id}"`);
    expect(await html(page(`${screen}?state=active`))).not.toContain(`data-share-id="${created.id}"`);

    await html(post(screen, { intent: "resume", shareId: created.id }));
    expect((await view()).state).toBe("active");
    expect((await guestSession()).status).toBe(200);

    // Changing settings keeps the link: the same token still opens.
    const saved = await html(
      post(screen, { intent: "update", shareId: created.id, scope: "preview_download", downloadOriginal: "on", expiresAt: localDay(9), maxDownloads: "5" }),
    );
    expect(saved).toContain("Saved. The links stay the same.");
    expect(await view()).toMatchObject({ scope: "preview_download", maxDownloads: 5, downloadOriginal: true, comments: false });
    expect((await guestSession()).status).toBe(200);
    // The same values again change nothing (and record nothing).
    const again = await html(
      post(screen, {
        intent: "update",
        shareId: created.id,
        scope: "preview_download",
        downloadOriginal: "on",
        expiresAt: localDay(9),
        maxDownloads: "5",
      }),
    );
    expect(again).toContain("Nothing was changed.");
    // A refused change is said on its field and changes nothing.
    const before = await snapshotTenant(w.tenantA.id);
    const refused = await html(post(screen, { intent: "update", shareId: created.id, scope: "preview", expiresAt: localDay(-1) }));
    expect(formRefused(refused)).toBe(true);
    expect(refused).toContain('data-testid="error-expiresAt"');
    expect(await snapshotTenant(w.tenantA.id)).toBe(before);

    const linkOne = (await view()).links.find((l) => l.recipientEmail === "one@screen.example")!;
    await html(post(screen, { intent: "revoke-link", shareId: created.id, linkId: linkOne.id }));
    expect((await view()).links.map((l) => [l.recipientEmail, l.revoked])).toEqual([
      ["one@screen.example", true],
      ["two@screen.example", false],
    ]);
    expect((await guestSession()).status).toBe(404);

    await html(post(screen, { intent: "revoke", shareId: created.id }));
    expect((await view()).state).toBe("revoked");
    // A revoked share cannot change; the form says why.
    const late = await html(post(screen, { intent: "pause", shareId: created.id }));
    expect(late).toContain('data-code="conflict"');
  });

  it("another project's share through this project's screen is a 404; without share.create the screen is refused", async () => {
    const elsewhere = await expectJson<{ id: string }>(apiShare({ projectId: w.p2, assetIds: [await assetIn(w.p2, "p2.mov")] }), 201);
    const res = await post(`/projects/${w.p1}/shares`, { intent: "pause", shareId: elsewhere.id });
    await res.text();
    expect(res.status).toBe(404);
    expect((await expectJson<ShareItem>(call(`/api/v1/shares/${elsewhere.id}`, { token: admin() }), 200)).paused).toBe(false);
    const viewer = await page(`/projects/${w.p1}/shares`, w.users.viewer);
    await viewer.text();
    expect(viewer.status).toBe(403);
    const outsider = await page(`/projects/${w.p1}/shares`, w.users.otherTenantAdmin);
    await outsider.text();
    expect(outsider.status).toBe(404);
  });
});

describe("the tenant-wide list", () => {
  it("is for tenant admins, holds every project's shares and never another tenant's, and pages without gaps or repeats", async () => {
    const mine: string[] = [];
    for (const projectId of [w.p1, w.p2, w.p1, w.p2, w.p1]) {
      mine.push((await expectJson<{ id: string }>(apiShare({ projectId, assetIds: [await assetIn(projectId, "paged.mov")] }), 201)).id);
    }
    const theirs = await expectJson<{ id: string }>(
      call("/api/v1/projects", { method: "POST", json: { name: "B's project" }, token: w.users.otherTenantAdmin.token }),
      201,
    );
    const bAsset = (
      await waitProcessed(
        w.users.otherTenantAdmin.token,
        (await uploadAsset(w.users.otherTenantAdmin.token, theirs.id, "b.mov", pseudoRandomBytes(512, ++seed))).id,
      )
    ).id;
    const bShare = await expectJson<{ id: string }>(apiShare({ projectId: theirs.id, assetIds: [bAsset] }, w.users.otherTenantAdmin.token), 201);

    for (const who of [w.users.projectAdmin, w.users.member, w.users.viewer, w.users.custom]) {
      const res = await call("/api/v1/shares", { token: who.token });
      expect(res.status, who.email).toBe(403);
      expect(((await res.json()) as ApiErrorBody).error.code).toBe("forbidden");
    }
    expect((await call("/api/v1/shares")).status).toBe(401);

    const seen: ShareItem[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Page = await expectJson<Page>(call(`/api/v1/shares?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { token: admin() }), 200);
      expect(res.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.items);
      cursor = res.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    const ids = seen.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of mine) expect(ids).toContain(id);
    expect(ids).not.toContain(bShare.id);
    // Newest first.
    expect(ids.indexOf(mine[4]!)).toBeLessThan(ids.indexOf(mine[0]!));
    expect(seen.find((s) => s.id === mine[1])).toMatchObject({ projectId: w.p2, projectName: "P2" });
    const all = await expectJson<Page>(call("/api/v1/shares?limit=200", { token: admin() }), 200);
    expect(all.items.map((s) => s.id)).toEqual(ids);

    // B's admin sees B's share only.
    const b = await expectJson<Page>(call("/api/v1/shares", { token: w.users.otherTenantAdmin.token }), 200);
    expect(b.items.map((s) => s.id)).toEqual([bShare.id]);
    // A's project as a filter from B: nothing (never A's shares).
    expect((await expectJson<Page>(call(`/api/v1/shares?projectId=${w.p1}`, { token: w.users.otherTenantAdmin.token }), 200)).items).toEqual([]);

    // Filters: project and state.
    const p2 = await expectJson<Page>(call(`/api/v1/shares?projectId=${w.p2}&limit=200`, { token: admin() }), 200);
    expect(p2.items.every((s) => s.projectId === w.p2)).toBe(true);
    expect(p2.items.map((s) => s.id)).toEqual(expect.arrayContaining([mine[1], mine[3]]));
    await expectJson(call(`/api/v1/shares/${mine[2]}`, { method: "PATCH", json: { paused: true }, token: admin() }), 200);
    await env.TENANT_DB_S0.prepare("UPDATE shares SET expires_at = ? WHERE id = ?").bind(inDays(-0.01), mine[3]).run();
    const state = async (s: string) => (await expectJson<Page>(call(`/api/v1/shares?state=${s}&limit=200`, { token: admin() }), 200)).items;
    expect((await state("paused")).map((s) => s.id)).toContain(mine[2]);
    expect((await state("paused")).every((s) => s.state === "paused")).toBe(true);
    expect((await state("expired")).map((s) => s.id)).toContain(mine[3]);
    expect((await state("active")).map((s) => s.id)).not.toContain(mine[2]);
    for (const bad of ["state=gone", "projectId=nope", "limit=0", "cursor=%%%"]) {
      expect((await call(`/api/v1/shares?${bad}`, { token: admin() })).status, bad).toBe(400);
    }

    // The admin's screen lists the same, with the project filter; other admins' screens do not.
    const screen = await html(page(`/admin/shares?projectId=${w.p2}`));
    expect(screen).toContain(`data-share-id="${mine[1]}"`);
    expect(screen).not.toContain(`data-share-id="${mine[0]}"`);
    expect(await html(page("/admin/shares", w.users.otherTenantAdmin))).not.toContain(`data-share-id="${mine[0]}"`);
    const denied = await page("/admin/shares", w.users.projectAdmin);
    await denied.text();
    expect(denied.status).toBe(403);
    // …and revokes any share.
    await html(post("/admin/shares", { intent: "revoke", shareId: mine[0]! }));
    expect((await expectJson<ShareItem>(call(`/api/v1/shares/${mine[0]}`, { token: admin() }), 200)).state).toBe("revoked");
    // B's admin cannot reach A's share through the admin screen.
    const foreign = await post("/admin/shares", { intent: "revoke", shareId: mine[1]! }, w.users.otherTenantAdmin);
    await foreign.text();
    expect(foreign.status).toBe(404);
  });
});

describe("the share policy form", () => {
  type Policy = {
    defaultExpiryDays: number;
    maxExpiryDays: number;
    passwordRequired: boolean;
    anonymousLinks: boolean;
    downloads: boolean;
    locked: Record<string, boolean>;
  };
  const settings = () => expectJson<{ sharePolicy: Policy }>(call("/api/v1/tenant/settings", { token: admin() }), 200);

  it("saves through the same rules as PATCH /tenant/settings, and the create form then shows the locked choices fixed", async () => {
    const saved = await html(
      post("/admin/shares", {
        intent: "policy",
        defaultExpiryDays: "7",
        maxExpiryDays: "30",
        passwordRequired: "on",
        lockPassword: "on",
        lockAnonymousLinks: "on",
        lockExpiry: "on",
      }),
    );
    expect(saved).toContain("Share policy saved.");
    expect((await settings()).sharePolicy).toEqual({
      defaultExpiryDays: 7,
      maxExpiryDays: 30,
      passwordRequired: true,
      anonymousLinks: false,
      downloads: false,
      locked: { expiry: true, password: true, anonymousLinks: true, downloads: false },
    });

    // Refused like the API: a default longer than the longest, days out of range.
    for (const [form, json, field] of [
      [{ defaultExpiryDays: "60", maxExpiryDays: "30" }, { defaultExpiryDays: 60, maxExpiryDays: 30 }, "defaultExpiryDays"],
      [{ defaultExpiryDays: "0", maxExpiryDays: "30" }, { defaultExpiryDays: 0, maxExpiryDays: 30 }, "defaultExpiryDays"],
      [{ defaultExpiryDays: "7", maxExpiryDays: "366" }, { defaultExpiryDays: 7, maxExpiryDays: 366 }, "maxExpiryDays"],
      [{ defaultExpiryDays: "seven", maxExpiryDays: "30" }, { defaultExpiryDays: "seven", maxExpiryDays: 30 }, "defaultExpiryDays"],
    ] as const) {
      expect((await call("/api/v1/tenant/settings", { method: "PATCH", json: { sharePolicy: json }, token: admin() })).status).toBe(400);
      const before = await snapshotTenant(w.tenantA.id);
      const text = await html(post("/admin/shares", { intent: "policy", ...form }));
      expect(formRefused(text), JSON.stringify(form)).toBe(true);
      expect(text).toContain(`data-testid="error-${field}"`);
      expect(await snapshotTenant(w.tenantA.id)).toBe(before);
    }
    // Only tenant admins.
    const denied = await post("/admin/shares", { intent: "policy", defaultExpiryDays: "1", maxExpiryDays: "1" }, w.users.projectAdmin);
    await denied.text();
    expect(denied.status).toBe(403);

    // The create form (a collection's page shows it without a selection): no link for anyone, no
    // "no password", the expiry fixed at the default.
    const asset = await assetIn(w.p1, "policy.mov");
    const collection = await expectJson<{ id: string }>(
      call("/api/v1/collections", { method: "POST", json: { projectId: w.p1, name: "Policy" }, token: admin() }),
      201,
    );
    await expectJson(call(`/api/v1/collections/${collection.id}/assets/${asset}`, { method: "PUT", token: admin() }), 200);
    const where = `/projects/${w.p1}/collections/${collection.id}`;
    const form = await html(page(where));
    expect(form).not.toContain('data-testid="share-anonymous"');
    expect(form).not.toContain('data-testid="share-protection-none"');
    expect(form).toContain('data-testid="share-protection-generate"');
    expect(form).toContain("Expires 7 days from now (set by your organisation).");
    expect(form).not.toContain('id="share-expires"');
    // The API and the page both refuse what the locks forbid, each on its field.
    const forbidden = { intent: "share-create", linkKind: "recipients", recipients: "x@example.com", scope: "preview" };
    expect((await apiShare({ assetIds: [asset], recipients: ["x@example.com"], generatePassword: true, expiresAt: inDays(8) })).status).toBe(400);
    const tooLong = await html(post(where, { ...forbidden, protection: "generate", expiresAt: localDay(9) }));
    expect(formRefused(tooLong)).toBe(true);
    expect(tooLong).toContain("At most 7 days from now.");
    const noPassword = await html(post(where, { ...forbidden, protection: "none", expiresAt: localDay(3) }));
    expect(noPassword).toContain("Your organisation requires a password on every share.");
    const anonymous = await html(post(where, { ...forbidden, linkKind: "anonymous", protection: "generate", expiresAt: localDay(3) }));
    expect(anonymous).toContain("Your organisation allows only per-recipient links");
    const ok = await html(post(where, { ...forbidden, protection: "generate", expiresAt: localDay(3) }));
    expect(shownLinks(ok)).toHaveLength(1);
    expect(shownPassword(ok)).toMatch(/^[a-z2-7]{16}$/);

    await expectJson(call("/api/v1/tenant/settings", { method: "PATCH", json: { sharePolicy: {} }, token: admin() }), 200);
    expect((await settings()).sharePolicy.locked).toEqual({ expiry: false, password: false, anonymousLinks: false, downloads: false });
  });
});
