/**
 * The Assets section of the contract, black-box over HTTP against the real
 * Worker (D1, R2, the processing queue and the audit Durable Object).
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, type ApiErrorBody } from "../../support/http";
import { auditTail, buildWorld, expectJson, type World } from "../../support/world";
import { pseudoRandomBytes, sha256Hex, smallUpload, uploadAsset, waitProcessed, type AssetBody } from "../../support/assets";
import { calendarDate, zipFileName } from "~/.server/assets/zip-name.server";

let world: World;
let admin: string;
let p1: string;

beforeAll(async () => {
  world = await buildWorld("assets");
  admin = world.users.tenantAdmin.token;
  p1 = world.p1;
});

async function usage() {
  return expectJson<{
    bytes: number;
    assets: number;
    quotaBytes: number;
    reservedBytes: number;
    projects: { projectId: string; bytes: number; assets: number }[];
    history: { date: string; bytes: number }[];
  }>(call("/api/v1/usage", { token: admin }), 200);
}

async function storedKeys(tenantId: string): Promise<string[]> {
  const listed = await env.ASSETS.list({ prefix: `tenants/${tenantId}/` });
  return listed.objects.map((o) => o.key);
}

async function setQuota(tenantId: string, bytes: number) {
  await env.CONTROL_DB.prepare("UPDATE tenants SET storage_quota_bytes = ? WHERE id = ?").bind(bytes, tenantId).run();
}

describe("one-request upload, processing and download", () => {
  let asset: AssetBody;
  const bytes = pseudoRandomBytes(70_000, 7);

  it("stores the file under an id-only key, keeps the name, and processes it", async () => {
    const before = await usage();
    const created = await uploadAsset(world.users.member.token, p1, "渋谷ロケ_01.mov", bytes);
    expect(created.status).toBe("processing");
    expect(created.name).toBe("渋谷ロケ_01.mov");
    expect(created.size).toBe(bytes.byteLength);
    asset = await waitProcessed(admin, created.id);
    expect(asset.status).toBe("ready");
    expect(asset.sha256).toBe(await sha256Hex(bytes));
    // Random bytes are no known format: sniffed as such whatever the name says.
    expect(asset.kind).toBe("other");
    const keys = await storedKeys(world.tenantA.id);
    expect(keys).toContain(`tenants/${world.tenantA.id}/assets/${asset.id}/original`);
    for (const key of keys) expect(key).toMatch(/^tenants\/tnt_[a-z2-7]{26}\/assets\/ast_[a-z2-7]{26}\/(original|thumbnail)$/);
    const after = await usage();
    expect(after.bytes - before.bytes).toBe(bytes.byteLength);
    expect(after.assets - before.assets).toBe(1);
    expect(after.history.at(-1)?.bytes).toBe(after.bytes);
    expect(after.projects.find((p) => p.projectId === p1)?.bytes).toBeGreaterThanOrEqual(bytes.byteLength);
    expect((await auditTail(world.tenantA.id, 50)).map((e) => e.action)).toContain("asset.uploaded");
  });

  it("serves the original with ETag, Range and an RFC 5987 file name", async () => {
    const whole = await call(`/api/v1/assets/${asset.id}/original`, { token: admin });
    expect(whole.status).toBe(200);
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(bytes);
    expect(whole.headers.get("Accept-Ranges")).toBe("bytes");
    expect(whole.headers.get("Content-Disposition")).toBe(`attachment; filename="_____01.mov"; filename*=UTF-8''${encodeURIComponent("渋谷ロケ_01.mov")}`);
    const etag = whole.headers.get("ETag")!;
    expect(etag).toMatch(/^"/);

    const part = await call(`/api/v1/assets/${asset.id}/original`, { token: admin, headers: { Range: "bytes=1000-1999" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("Content-Range")).toBe(`bytes 1000-1999/${bytes.byteLength}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.slice(1000, 2000));

    const suffix = await call(`/api/v1/assets/${asset.id}/original`, { token: admin, headers: { Range: "bytes=-10" } });
    expect(suffix.status).toBe(206);
    expect(new Uint8Array(await suffix.arrayBuffer())).toEqual(bytes.slice(-10));

    const open = await call(`/api/v1/assets/${asset.id}/original`, { token: admin, headers: { Range: "bytes=69990-" } });
    expect(new Uint8Array(await open.arrayBuffer())).toEqual(bytes.slice(69_990));

    const beyond = await call(`/api/v1/assets/${asset.id}/original`, { token: admin, headers: { Range: "bytes=70000-" } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("Content-Range")).toBe(`bytes */${bytes.byteLength}`);

    const cached = await call(`/api/v1/assets/${asset.id}/original`, { token: admin, headers: { "If-None-Match": etag } });
    expect(cached.status).toBe(304);
    // A range on a different version (If-Range mismatch) gets the whole file.
    const stale = await call(`/api/v1/assets/${asset.id}/original`, { token: admin, headers: { Range: "bytes=0-9", "If-Range": '"other"' } });
    expect(stale.status).toBe(200);
    await stale.arrayBuffer();
    expect((await auditTail(world.tenantA.id, 50)).filter((e) => e.action === "asset.downloaded").length).toBeGreaterThanOrEqual(2);
  });

  it("gives other tenants 404 and a proxy-only role 403 for the original", async () => {
    const other = await call(`/api/v1/assets/${asset.id}`, { token: world.users.otherTenantAdmin.token });
    expect(other.status).toBe(404);
    expect((await call(`/api/v1/assets/${asset.id}/original`, { token: world.users.otherTenantAdmin.token })).status).toBe(404);
    expect((await call(`/api/v1/assets/${asset.id}`, { token: world.users.otherProject.token })).status).toBe(404);
    // The custom "Reviewer" role has asset.view and asset.download_proxy, not download_original.
    expect((await call(`/api/v1/assets/${asset.id}`, { token: world.users.custom.token })).status).toBe(200);
    const proxyOnly = await call(`/api/v1/assets/${asset.id}/original`, { token: world.users.custom.token });
    expect(proxyOnly.status).toBe(403);
    expect(((await proxyOnly.json()) as ApiErrorBody).error.code).toBe("forbidden");
    const viewer = await smallUpload(world.users.viewer.token, p1, "x.bin", "x");
    expect(viewer.status).toBe(403);
  });
});

describe("file names", () => {
  it("refuses path separators, controls and bidi overrides, and stores NFC", async () => {
    for (const bad of ["../etc/passwd", "a\\b.mov", "evil\u202Egpj.exe", "bell\u0007.wav", ".."]) {
      const res = await smallUpload(admin, p1, bad, "x");
      expect(res.status, bad).toBe(400);
      expect(((await res.json()) as ApiErrorBody).error.code).toBe("validation_failed");
    }
    const decomposed = "テ\u3099スト.mov"; // as macOS sends デスト
    const created = await uploadAsset(admin, p1, decomposed, "x");
    expect(created.name).toBe("デスト.mov");
    const multipart = await call(`/api/v1/projects/${p1}/uploads`, { method: "POST", token: admin, json: { filename: "a/b.mov", size: 10 } });
    expect(multipart.status).toBe(400);
  });

  it("refuses a one-request upload over 95 MiB before reading it", async () => {
    const res = await call(`/api/v1/projects/${p1}/assets`, {
      method: "POST",
      token: admin,
      headers: { "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(96 * 1024 * 1024) },
      body: "--x--",
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as ApiErrorBody).error.code).toBe("too_large");
  });
});

describe("multipart upload", () => {
  const MiB = 1024 * 1024;

  it("accepts parts in any order, reports what arrived, and assembles them byte-exact", async () => {
    const size = 12 * MiB + 123;
    const data = pseudoRandomBytes(size, 3);
    const created = await expectJson<{ uploadId: string; assetId: string; partSize: number; partCount: number }>(
      call(`/api/v1/projects/${p1}/uploads`, { method: "POST", token: world.users.member.token, json: { filename: "big.bin", size, partSize: 5 * MiB } }),
      201,
    );
    expect(created.partSize).toBe(5 * MiB);
    expect(created.partCount).toBe(3);
    const part = (n: number) => data.slice((n - 1) * created.partSize, Math.min(size, n * created.partSize));
    const put = (n: number, body: Uint8Array<ArrayBuffer>, token = world.users.member.token) =>
      call(`/api/v1/uploads/${created.uploadId}/parts/${n}`, { method: "PUT", token, body, headers: { "Content-Type": "application/octet-stream" } });

    // Someone else in the project cannot touch this upload.
    expect((await put(3, part(3), admin)).status).toBe(404);
    // Wrong lengths are refused and change nothing.
    expect((await put(1, part(1).slice(0, 100))).status).toBe(400);
    const tooLong = await put(3, new Uint8Array(part(3).byteLength + 1));
    expect(tooLong.status).toBe(413);
    expect((await put(4, part(3))).status).toBe(400);

    expect((await expectJson<{ partNumber: number }>(put(3, part(3)), 200)).partNumber).toBe(3);
    await expectJson(put(1, part(1)), 200);
    const status = await expectJson<{ receivedParts: number[] }>(call(`/api/v1/uploads/${created.uploadId}`, { token: world.users.member.token }), 200);
    expect(status.receivedParts).toEqual([1, 3]);
    const early = await call(`/api/v1/uploads/${created.uploadId}/complete`, { method: "POST", token: world.users.member.token });
    expect(early.status).toBe(409);
    expect(((await early.json()) as { error: { details: { missingParts: number[] } } }).error.details.missingParts).toEqual([2]);

    await expectJson(put(2, part(2)), 200);
    const asset = await expectJson<AssetBody>(call(`/api/v1/uploads/${created.uploadId}/complete`, { method: "POST", token: world.users.member.token }), 201);
    expect(asset.id).toBe(created.assetId);
    expect(asset.size).toBe(size);
    const again = await call(`/api/v1/uploads/${created.uploadId}/complete`, { method: "POST", token: world.users.member.token });
    expect(again.status).toBe(409);
    const ready = await waitProcessed(admin, asset.id);
    expect(ready.sha256).toBe(await sha256Hex(data));
    const range = await call(`/api/v1/assets/${asset.id}/original`, { token: admin, headers: { Range: `bytes=${5 * MiB - 5}-${5 * MiB + 4}` } });
    expect(new Uint8Array(await range.arrayBuffer())).toEqual(data.slice(5 * MiB - 5, 5 * MiB + 5));
  });

  it("releases the reservation when cancelled", async () => {
    const created = await expectJson<{ uploadId: string }>(
      call(`/api/v1/projects/${p1}/uploads`, { method: "POST", token: admin, json: { filename: "cancel.bin", size: 50 * MiB } }),
      201,
    );
    expect((await usage()).reservedBytes).toBe(50 * MiB);
    expect((await call(`/api/v1/uploads/${created.uploadId}`, { method: "DELETE", token: admin })).status).toBe(204);
    expect((await usage()).reservedBytes).toBe(0);
    expect((await call(`/api/v1/uploads/${created.uploadId}/parts/1`, { method: "PUT", token: admin, body: "x" })).status).toBe(409);
    expect((await auditTail(world.tenantA.id, 20)).map((e) => e.action)).toContain("asset.upload_aborted");
  });
});

describe("quota", () => {
  it("refuses an upload that would pass the quota, counting uploads in progress, and lets exactly one of two racing uploads through", async () => {
    const { bytes } = await usage();
    await setQuota(world.tenantA.id, bytes + 1000);
    try {
      const over = await smallUpload(admin, p1, "over.bin", pseudoRandomBytes(1001));
      expect(over.status).toBe(403);
      expect(((await over.json()) as ApiErrorBody).error.code).toBe("quota_exceeded");
      const overMultipart = await call(`/api/v1/projects/${p1}/uploads`, { method: "POST", token: admin, json: { filename: "o.bin", size: 1001 } });
      expect(overMultipart.status).toBe(403);
      expect(((await overMultipart.json()) as ApiErrorBody).error.code).toBe("quota_exceeded");

      const racing = await Promise.all(
        [1, 2, 3].map((i) => call(`/api/v1/projects/${p1}/uploads`, { method: "POST", token: admin, json: { filename: `r${i}.bin`, size: 600 } })),
      );
      expect(racing.map((r) => r.status).sort()).toEqual([201, 403, 403]);
      expect((await usage()).reservedBytes).toBe(600);
      const winner = (await Promise.all(racing.map((r) => r.json() as Promise<{ uploadId?: string }>))).find((b) => b.uploadId)!;
      await call(`/api/v1/uploads/${winner.uploadId}`, { method: "DELETE", token: admin });
      expect((await usage()).bytes).toBe(bytes);
    } finally {
      await setQuota(world.tenantA.id, 10 * 1024 ** 4);
    }
  });
});

describe("folders", () => {
  it("nests, refuses duplicate names and cycles, gives breadcrumbs, and deletes only when empty", async () => {
    const mk = (name: string, parentId?: string) =>
      call(`/api/v1/projects/${p1}/folders`, { method: "POST", token: world.users.member.token, json: { name, ...(parentId ? { parentId } : {}) } });
    const day1 = await expectJson<{ id: string }>(mk("Day 1"), 201);
    const camA = await expectJson<{ id: string; parentId: string }>(mk("Cam A", day1.id), 201);
    expect(camA.parentId).toBe(day1.id);
    expect((await mk("Day 1")).status).toBe(409);
    expect((await mk("Cam A", day1.id)).status).toBe(409);
    await expectJson(mk("Cam A"), 201); // same name elsewhere is fine
    const detail = await expectJson<{ breadcrumbs: { name: string }[] }>(call(`/api/v1/folders/${camA.id}`, { token: admin }), 200);
    expect(detail.breadcrumbs.map((b) => b.name)).toEqual(["Day 1", "Cam A"]);
    const cycle = await call(`/api/v1/folders/${day1.id}`, { method: "PATCH", token: admin, json: { parentId: camA.id } });
    expect(cycle.status).toBe(409);
    const children = await expectJson<{ items: { name: string }[] }>(
      call(`/api/v1/projects/${p1}/folders?parentId=${day1.id}`, { token: world.users.viewer.token }),
      200,
    );
    expect(children.items.map((f) => f.name)).toEqual(["Cam A"]);

    const inside = await uploadAsset(admin, p1, "clip.mov", "abc", { folderId: camA.id });
    expect(inside.folderId).toBe(camA.id);
    expect((await call(`/api/v1/folders/${camA.id}`, { method: "DELETE", token: admin })).status).toBe(409);
    const listed = await expectJson<{ items: AssetBody[] }>(call(`/api/v1/projects/${p1}/assets?folderId=${camA.id}`, { token: admin }), 200);
    expect(listed.items.map((a) => a.id)).toEqual([inside.id]);
    await expectJson(call(`/api/v1/folders/${camA.id}`, { method: "PATCH", token: admin, json: { name: "Camera A", parentId: null } }), 200);
    expect((await call(`/api/v1/projects/${world.p2}/folders`, { method: "POST", token: world.users.viewer.token, json: { name: "x" } })).status).toBe(404);
    expect((await call(`/api/v1/folders/${day1.id}`, { token: world.users.otherTenantAdmin.token })).status).toBe(404);
    // Another project's folder cannot be used as a destination.
    const p2Folder = await expectJson<{ id: string }>(
      call(`/api/v1/projects/${world.p2}/folders`, { method: "POST", token: admin, json: { name: "P2 only" } }),
      201,
    );
    expect((await call(`/api/v1/assets/${inside.id}`, { method: "PATCH", token: admin, json: { folderId: p2Folder.id } })).status).toBe(404);
    expect((await call(`/api/v1/folders/${day1.id}`, { method: "DELETE", token: admin })).status).toBe(204);
  });
});

describe("typed metadata, tags and labels", () => {
  const fields = [
    { key: "scene", label: "Scene", type: "text" },
    { key: "notes", label: "Notes", type: "textarea" },
    { key: "take", label: "Take", type: "number" },
    { key: "shot_on", label: "Shot on", type: "date" },
    { key: "ingested", label: "Ingested", type: "datetime" },
    { key: "status", label: "Status", type: "select", options: ["draft", "final"] },
    { key: "rights", label: "Rights", type: "multiselect", options: ["web", "tv", "cinema"] },
    { key: "approved", label: "Approved", type: "boolean" },
    { key: "link", label: "Link", type: "url" },
    { key: "contact", label: "Contact", type: "email" },
  ];
  let asset: AssetBody;

  beforeAll(async () => {
    for (const f of fields) await expectJson(call("/api/v1/metadata-fields", { method: "POST", token: admin, json: f }), 201);
    asset = await uploadAsset(admin, p1, "meta-target.mov", "meta");
  });

  it("stores values of all ten types", async () => {
    const values = {
      scene: "渋谷スクランブル",
      notes: "line 1\nline 2",
      take: 3,
      shot_on: "2026-11-20",
      ingested: "2026-11-20T10:00:00+09:00",
      status: "final",
      rights: ["web", "tv"],
      approved: true,
      link: "https://example.com/brief",
      contact: "Producer@Example.com",
    };
    const updated = await expectJson<AssetBody>(
      call(`/api/v1/assets/${asset.id}`, { method: "PATCH", token: world.users.member.token, json: { metadata: values } }),
      200,
    );
    expect(updated.metadata).toEqual({ ...values, ingested: "2026-11-20T01:00:00.000Z", contact: "producer@example.com" });
  });

  it("refuses values that do not fit, naming each key, and writes nothing", async () => {
    const before = await expectJson<AssetBody>(call(`/api/v1/assets/${asset.id}`, { token: admin }), 200);
    const res = await call(`/api/v1/assets/${asset.id}`, {
      method: "PATCH",
      token: admin,
      json: {
        name: "renamed.mov",
        metadata: {
          take: "three",
          shot_on: "2026-02-30",
          status: "maybe",
          rights: ["radio"],
          approved: "yes",
          link: "javascript:alert(1)",
          contact: "nope",
          nosuch: "x",
        },
      },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ApiErrorBody;
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details!.map((d) => d.path).sort()).toEqual(
      [
        "metadata.approved",
        "metadata.contact",
        "metadata.link",
        "metadata.nosuch",
        "metadata.rights",
        "metadata.shot_on",
        "metadata.status",
        "metadata.take",
      ].sort(),
    );
    const after = await expectJson<AssetBody>(call(`/api/v1/assets/${asset.id}`, { token: admin }), 200);
    expect(after).toEqual(before);
  });

  it("sets tags and a colour label, removes a value with null, and counts tag facets", async () => {
    const updated = await expectJson<AssetBody>(
      call(`/api/v1/assets/${asset.id}`, {
        method: "PATCH",
        token: admin,
        json: { tags: ["b-roll", "夜景", "b-roll"], colorLabel: "green", metadata: { notes: null } },
      }),
      200,
    );
    expect(updated.tags).toEqual(["b-roll", "夜景"]);
    expect(updated.colorLabel).toBe("green");
    expect(updated.metadata).not.toHaveProperty("notes");
    expect((await call(`/api/v1/assets/${asset.id}`, { method: "PATCH", token: admin, json: { colorLabel: "chartreuse" } })).status).toBe(400);
    expect((await call(`/api/v1/assets/${asset.id}`, { method: "PATCH", token: world.users.viewer.token, json: { tags: [] } })).status).toBe(403);
    const facets = await expectJson<{ items: { tag: string; count: number }[] }>(call(`/api/v1/projects/${p1}/tags`, { token: world.users.viewer.token }), 200);
    expect(facets.items).toContainEqual({ tag: "夜景", count: 1 });
  });

  it("edits many assets at once", async () => {
    const more = await Promise.all([1, 2, 3].map((i) => uploadAsset(admin, p1, `bulk-${i}.mov`, `b${i}`)));
    const ids = [asset.id, ...more.map((a) => a.id)];
    const result = await expectJson<{ updated: number }>(
      call(`/api/v1/projects/${p1}/assets/bulk-update`, {
        method: "POST",
        token: world.users.member.token,
        json: { assetIds: ids, addTags: ["selects"], removeTags: ["b-roll"], colorLabel: "red", metadata: { status: "draft" } },
      }),
      200,
    );
    expect(result.updated).toBe(4);
    for (const id of ids) {
      const a = await expectJson<AssetBody>(call(`/api/v1/assets/${id}`, { token: admin }), 200);
      expect(a.tags).toContain("selects");
      expect(a.tags).not.toContain("b-roll");
      expect(a.colorLabel).toBe("red");
      expect(a.metadata.status).toBe("draft");
    }
    const found = await expectJson<{ items: AssetBody[] }>(
      call(`/api/v1/projects/${p1}/assets?tag=selects&meta=status:draft&colorLabel=red`, { token: admin }),
      200,
    );
    expect(found.items.map((a) => a.id).sort()).toEqual([...ids].sort());
    const bad = await call(`/api/v1/projects/${p1}/assets/bulk-update`, { method: "POST", token: admin, json: { assetIds: ids, metadata: { take: "x" } } });
    expect(bad.status).toBe(400);
    const foreign = await call(`/api/v1/projects/${world.p2}/assets/bulk-update`, {
      method: "POST",
      token: admin,
      json: { assetIds: ids, colorLabel: "blue" },
    });
    expect(foreign.status).toBe(404);
  });
});

describe("search", () => {
  beforeAll(async () => {
    await uploadAsset(admin, p1, "渋谷ロケ_01.mov", "s1");
    await uploadAsset(admin, p1, "新宿ロケ_02.mov", "s2");
    const tagged = await uploadAsset(admin, p1, "interview.wav", "s3");
    await expectJson(call(`/api/v1/assets/${tagged.id}`, { method: "PATCH", token: admin, json: { tags: ["渋谷"], metadata: { scene: "ハチ公前" } } }), 200);
  });

  const names = async (query: string, token = admin) =>
    (await expectJson<{ items: AssetBody[] }>(call(`/api/v1/projects/${p1}/assets?${query}`, { token }), 200)).items.map((a) => a.name).sort();

  it("finds Japanese substrings in names, tags and text metadata", async () => {
    // Two files by name, one by tag, one by its "scene" metadata (渋谷スクランブル).
    expect(await names(`q=${encodeURIComponent("渋谷")}`)).toEqual(["interview.wav", "meta-target.mov", "渋谷ロケ_01.mov", "渋谷ロケ_01.mov"].sort());
    expect(await names(`q=${encodeURIComponent("渋谷スクランブル")}`)).toEqual(["meta-target.mov"]);
    expect(await names(`q=${encodeURIComponent("渋谷ロケ")}`)).toEqual(["渋谷ロケ_01.mov", "渋谷ロケ_01.mov"]);
    expect(await names(`q=${encodeURIComponent("ロケ_02")}`)).toEqual(["新宿ロケ_02.mov"]);
    expect(await names(`q=${encodeURIComponent("ハチ公")}`)).toEqual(["interview.wav"]);
    expect(await names(`q=${encodeURIComponent("INTERVIEW")}`)).toEqual(["interview.wav"]);
    // FTS syntax in a query is text, not an operator.
    expect(await names(`q=${encodeURIComponent('"OR*')}`)).toEqual([]);
  });

  it("needs search.use for q and asset.view to browse", async () => {
    expect((await call(`/api/v1/projects/${p1}/assets?q=abc`, { token: world.users.otherProject.token })).status).toBe(404);
    expect((await call(`/api/v1/projects/${p1}/assets?q=abc`, { token: world.users.otherTenantAdmin.token })).status).toBe(404);
    // The custom role holds asset.view but not search.use.
    expect((await call(`/api/v1/projects/${p1}/assets?q=abc`, { token: world.users.custom.token })).status).toBe(403);
    expect((await call(`/api/v1/projects/${p1}/assets`, { token: world.users.custom.token })).status).toBe(200);
  });

  it("filters by kind, date and metadata, and validates the query", async () => {
    expect(await names(`kind=video&q=${encodeURIComponent("ロケ")}`)).toEqual([]); // sniffed: text bytes are not video
    expect(await names(`meta=${encodeURIComponent("scene:ハチ公前")}`)).toEqual(["interview.wav"]);
    expect(await names(`createdFrom=2000-01-01&createdTo=2000-01-02`)).toEqual([]);
    for (const bad of ["sort=random", "limit=0", "limit=201", "meta=nosuch:1", "meta=take:abc", "kind=film", "cursor=%%%", "folderId=nope"]) {
      const res = await call(`/api/v1/projects/${p1}/assets?${bad}`, { token: admin });
      expect(res.status, bad).toBe(400);
    }
  });
});

describe("paging", () => {
  it("walks every sort through its cursor without repeating or skipping rows, ties included", async () => {
    const project = (await expectJson<{ id: string }>(world.asAdmin("/api/v1/projects", { method: "POST", json: { name: "Paging" } }), 201)).id;
    // 23 rows whose sort keys tie in threes and fours: only the id tells them apart.
    const letters = "abcdefghijklmnopqrstuvwxyz";
    const statements = Array.from({ length: 23 }, (_, i) => {
      const id = `ast_${"q".repeat(24)}${letters[Math.floor(i / 26)]}${letters[(i * 7) % 26]}`;
      const name = ["b.mov", "A.mov", "ｂ.mov", "c.wav"][i % 4]!;
      return env.TENANT_DB_S0.prepare(
        "INSERT INTO assets (id, tenant_id, project_id, name, name_key, size, content_type, kind, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'video/quicktime', 'video', 'ready', ?, ?)",
      ).bind(
        id,
        world.tenantA.id,
        project,
        name,
        name.normalize("NFKC").toLowerCase(),
        [10, 2_000, 30][i % 3]!,
        `2026-01-0${1 + (i % 5)}T00:00:00.000Z`,
        "2026-01-01T00:00:00.000Z",
      );
    });
    await env.TENANT_DB_S0.batch(statements);
    type Page = { items: AssetBody[]; nextCursor: string | null };
    for (const sort of ["createdAt", "-createdAt", "name", "-name", "size", "-size"]) {
      const whole = (await expectJson<Page>(call(`/api/v1/projects/${project}/assets?sort=${sort}&limit=200`, { token: admin }), 200)).items.map((a) => a.id);
      expect(whole).toHaveLength(23);
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Page = await expectJson<Page>(
          call(`/api/v1/projects/${project}/assets?sort=${sort}&limit=4${cursor ? `&cursor=${cursor}` : ""}`, { token: admin }),
          200,
        );
        walked.push(...page.items.map((a) => a.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(walked, sort).toEqual(whole);
    }
    // The rows were written without usage: take them out again so that usage stays the sum of the assets.
    await env.TENANT_DB_S0.prepare("DELETE FROM assets WHERE project_id = ?").bind(project).run();
  });
});

describe("thumbnails, zip and delete", () => {
  // A real 100×68 JPEG: thumbnails are decoded and checked whole (ADR 0019).
  const JPEG = Uint8Array.from(atob(env.TEST_MEDIA_FIXTURES["jpg_Canon_40D.jpg"]!), (c) => c.charCodeAt(0));

  it("stores a browser-made thumbnail, checked by content", async () => {
    const asset = await uploadAsset(admin, p1, "thumb.mov", "t");
    expect((await call(`/api/v1/assets/${asset.id}/thumbnail`, { token: admin })).status).toBe(404);
    const text = await call(`/api/v1/assets/${asset.id}/thumbnail`, {
      method: "PUT",
      token: admin,
      body: "<svg onload=alert(1)>",
      headers: { "Content-Type": "image/jpeg" },
    });
    expect(text.status).toBe(415);
    expect((await call(`/api/v1/assets/${asset.id}/thumbnail`, { method: "PUT", token: world.users.viewer.token, body: JPEG })).status).toBe(403);
    expect(
      (await call(`/api/v1/assets/${asset.id}/thumbnail`, { method: "PUT", token: admin, body: JPEG, headers: { "Content-Type": "image/jpeg" } })).status,
    ).toBe(204);
    const got = await call(`/api/v1/assets/${asset.id}/thumbnail`, { token: world.users.viewer.token });
    expect(got.status).toBe(200);
    expect(got.headers.get("Content-Type")).toBe("image/jpeg");
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(JPEG);
    expect((await expectJson<AssetBody>(call(`/api/v1/assets/${asset.id}`, { token: admin }), 200)).hasThumbnail).toBe(true);
    // The proxy-only role never gets the original; /proxy is not the thumbnail, and 404 until a proxy is derived (ADR 0019).
    const proxy = await call(`/api/v1/assets/${asset.id}/proxy`, { token: world.users.custom.token });
    expect(proxy.status).toBe(404);
    expect((await call(`/api/v1/assets/${asset.id}/original`, { token: world.users.custom.token })).status).toBe(403);
  });

  it("streams a zip of a selection with folder paths", async () => {
    const folder = await expectJson<{ id: string }>(call(`/api/v1/projects/${p1}/folders`, { method: "POST", token: admin, json: { name: "納品" } }), 201);
    const a = await uploadAsset(admin, p1, "カット1.mov", "first file", { folderId: folder.id });
    const b = await uploadAsset(admin, p1, "カット1.mov", "second file", { folderId: folder.id });
    const res = await call(`/api/v1/projects/${p1}/assets/zip`, { method: "POST", token: admin, json: { assetIds: [a.id, b.id], name: "納品物" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/zip");
    expect(res.headers.get("Content-Disposition")).toContain(`filename*=UTF-8''${encodeURIComponent("納品物.zip")}`);
    const zip = new Uint8Array(await res.arrayBuffer());
    expect(Number(res.headers.get("Content-Length"))).toBe(zip.byteLength);
    expect([...zip.slice(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    const text = new TextDecoder().decode(zip);
    expect(text).toContain("納品/カット1.mov");
    expect(text).toContain("納品/カット1 (2).mov");
    expect(text).toContain("first file");
    expect(text).toContain("second file");
    expect((await call(`/api/v1/projects/${p1}/assets/zip`, { method: "POST", token: world.users.custom.token, json: { assetIds: [a.id] } })).status).toBe(403);
  });

  it("names a zip after the project, the folder holding the whole selection and the UTC date, in RFC 6266 filename*", async () => {
    const folder = async (name: string, parentId?: string) =>
      (
        await expectJson<{ id: string }>(
          call(`/api/v1/projects/${p1}/folders`, { method: "POST", token: admin, json: { name, ...(parentId ? { parentId } : {}) } }),
          201,
        )
      ).id;
    const top = await folder("撮影素材");
    const [dayA, dayB] = [await folder("1日目", top), await folder("2日目", top)];
    const inA = await uploadAsset(admin, p1, "a.mov", "a", { folderId: dayA });
    const inB = await uploadAsset(admin, p1, "b.mov", "b", { folderId: dayB });
    const atRoot = await uploadAsset(admin, p1, "c.mov", "c");
    const zipName = async (assetIds: string[]) => {
      const before = new Date().toISOString().slice(0, 10);
      const res = await call(`/api/v1/projects/${p1}/assets/zip`, { method: "POST", token: admin, json: { assetIds } });
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      const header = res.headers.get("Content-Disposition") ?? "";
      const encoded = /filename\*=UTF-8''([^;]+)/.exec(header)?.[1];
      expect(encoded, header).toBeDefined();
      // An ASCII fallback for old clients, too.
      expect(header).toMatch(/filename="[\x20-\x7e]+\.zip"/);
      const name = decodeURIComponent(encoded!);
      const after = new Date().toISOString().slice(0, 10);
      return name.replace(after, before);
    };
    const today = new Date().toISOString().slice(0, 10);
    expect(await zipName([inA.id])).toBe(`P1 渋谷ロケ_1日目_${today}.zip`);
    expect(await zipName([inA.id, inB.id])).toBe(`P1 渋谷ロケ_撮影素材_${today}.zip`);
    expect(await zipName([inA.id, atRoot.id])).toBe(`P1 渋谷ロケ_${today}.zip`);
  });

  it("zip names: the date in the given time zone (UTC when unknown), names cut to whole characters, unsafe characters dropped", () => {
    const at = new Date("2026-12-03T16:30:00Z");
    expect(calendarDate(at, "UTC")).toBe("2026-12-03");
    expect(calendarDate(at, "Asia/Tokyo")).toBe("2026-12-04");
    expect(calendarDate(at, "Not/AZone")).toBe("2026-12-03");
    expect(zipFileName({ projectName: "渋谷ロケ", folderName: "納品", at, timeZone: "Asia/Tokyo" })).toBe("渋谷ロケ_納品_2026-12-04.zip");
    expect(zipFileName({ projectName: "a/b\u202Ec", folderName: "..", at, timeZone: "UTC" })).toBe("a_bc_2026-12-03.zip");
    const long = zipFileName({ projectName: "長".repeat(200), folderName: "🎬".repeat(100), at, timeZone: "UTC" });
    expect(long).toBe(`${"長".repeat(30)}_${"🎬".repeat(22)}_2026-12-03.zip`);
    expect(new TextEncoder().encode(long).length).toBeLessThan(255);
  });

  it("deletes the objects, rows and search entry, and lowers the usage", async () => {
    const asset = await uploadAsset(admin, p1, "削除テスト.mov", pseudoRandomBytes(5000, 9));
    await waitProcessed(admin, asset.id);
    await call(`/api/v1/assets/${asset.id}/thumbnail`, { method: "PUT", token: admin, body: JPEG, headers: { "Content-Type": "image/jpeg" } });
    const before = await usage();
    expect((await call(`/api/v1/assets/${asset.id}`, { method: "DELETE", token: world.users.member.token })).status).toBe(403);
    expect((await call(`/api/v1/assets/${asset.id}`, { method: "DELETE", token: world.users.projectAdmin.token })).status).toBe(204);
    expect((await call(`/api/v1/assets/${asset.id}`, { token: admin })).status).toBe(404);
    const keys = await storedKeys(world.tenantA.id);
    expect(keys.filter((k) => k.includes(asset.id))).toEqual([]);
    const after = await usage();
    expect(before.bytes - after.bytes).toBe(5000 + JPEG.byteLength);
    expect(before.assets - after.assets).toBe(1);
    const found = await expectJson<{ items: AssetBody[] }>(call(`/api/v1/projects/${p1}/assets?q=${encodeURIComponent("削除テスト")}`, { token: admin }), 200);
    expect(found.items).toEqual([]);
    expect((await auditTail(world.tenantA.id, 10)).map((e) => e.action)).toContain("asset.deleted");
  });

  it("keeps usage equal to the sum of the stored assets", async () => {
    const u = await usage();
    const db = env.TENANT_DB_S0;
    // Thumbnails count too (ADR 0019).
    const sum = await db
      .prepare("SELECT coalesce(sum(size + coalesce(thumbnail_size, 0)),0) AS bytes, count(*) AS n FROM assets WHERE tenant_id = ?")
      .bind(world.tenantA.id)
      .first<{ bytes: number; n: number }>();
    expect(u.bytes).toBe(sum!.bytes);
    expect(u.assets).toBe(sum!.n);
    const control = await env.CONTROL_DB.prepare("SELECT usage_bytes, usage_assets FROM tenants WHERE id = ?")
      .bind(world.tenantA.id)
      .first<{ usage_bytes: number; usage_assets: number }>();
    expect(control).toEqual({ usage_bytes: sum!.bytes, usage_assets: sum!.n });
  });
});
