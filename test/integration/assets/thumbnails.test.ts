/**
 * Issue #10, defect 6: a thumbnail is a real, small still, set only by the
 * asset's uploader or an editor, counted in usage; /thumbnail and /proxy
 * serve different objects (ADR 0019).
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, type ApiErrorBody } from "../../support/http";
import { addUser, buildWorld, expectJson, grant, type Account, type World } from "../../support/world";
import { pngImage, uploadAsset } from "../../support/assets";

let world: World;
let admin: string;

function fixture(name: string): Uint8Array<ArrayBuffer> {
  const bin = atob(env.TEST_MEDIA_FIXTURES[name]!);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** A real 100×68 baseline JPEG. */
const JPEG = () => fixture("jpg_Canon_40D.jpg");

const putThumb = (token: string, assetId: string, body: Uint8Array<ArrayBuffer>, type = "image/jpeg") =>
  call(`/api/v1/assets/${assetId}/thumbnail`, { method: "PUT", token, body, headers: { "Content-Type": type } });

async function usedBytes(): Promise<number> {
  return (await expectJson<{ bytes: number }>(call("/api/v1/usage", { token: admin }), 200)).bytes;
}

async function thumbnailRow(assetId: string) {
  return env.TENANT_DB_S0.prepare("SELECT thumbnail_size AS size, thumbnail_content_type AS type FROM assets WHERE id = ?")
    .bind(assetId)
    .first<{ size: number | null; type: string | null }>();
}

async function code(res: Response): Promise<string> {
  return ((await res.json()) as ApiErrorBody).error.code;
}

beforeAll(async () => {
  world = await buildWorld("thumbs");
  admin = world.users.tenantAdmin.token;
});

describe("a thumbnail is a real, small still", () => {
  it("refuses bytes that only start with an image signature", async () => {
    const asset = await uploadAsset(world.users.member.token, world.p1, "clip.mov", "x");
    const fake = new Uint8Array(4096);
    fake.set([0xff, 0xd8, 0xff]);
    const res = await putThumb(world.users.member.token, asset.id, fake);
    expect(res.status).toBe(415);
    expect(await code(res)).toBe("unsupported_media_type");
    expect((await thumbnailRow(asset.id))?.size).toBeNull();
  });

  it("refuses a structurally broken image after a valid header (PNG without IEND, JPEG without EOI)", async () => {
    const asset = await uploadAsset(world.users.member.token, world.p1, "clip2.mov", "x");
    const png = await pngImage(32, 32);
    expect((await putThumb(world.users.member.token, asset.id, png.slice(0, png.byteLength - 12), "image/png")).status).toBe(415);
    const jpeg = JPEG();
    expect((await putThumb(world.users.member.token, asset.id, jpeg.slice(0, jpeg.byteLength - 2))).status).toBe(415);
  });

  it("refuses images over 512 px on the long side, over 256 KiB, or of another type than declared", async () => {
    const asset = await uploadAsset(world.users.member.token, world.p1, "clip3.mov", "x");
    const wide = await putThumb(world.users.member.token, asset.id, await pngImage(513, 10), "image/png");
    expect(wide.status).toBe(400);
    expect(await code(wide)).toBe("bad_request");
    const heavy = await pngImage(512, 512, { noise: true });
    expect(heavy.byteLength).toBeGreaterThan(256 * 1024);
    const big = await putThumb(world.users.member.token, asset.id, heavy, "image/png");
    expect(big.status).toBe(413);
    expect(await code(big)).toBe("too_large");
    const mismatch = await putThumb(world.users.member.token, asset.id, await pngImage(16, 16), "image/jpeg");
    expect(mismatch.status).toBe(415);
    expect((await thumbnailRow(asset.id))?.size).toBeNull();
    // And a real one passes, PNG and JPEG.
    expect((await putThumb(world.users.member.token, asset.id, await pngImage(480, 270), "image/png")).status).toBe(204);
    expect((await putThumb(world.users.member.token, asset.id, JPEG())).status).toBe(204);
    expect(await thumbnailRow(asset.id)).toEqual({ size: JPEG().byteLength, type: "image/jpeg" });
  });
});

describe("who may set a thumbnail", () => {
  let uploaderOnly: Account;

  beforeAll(async () => {
    // A custom role that may upload but not edit others' assets.
    const role = await expectJson<{ id: string }>(
      call("/api/v1/roles", { method: "POST", token: admin, json: { name: "Uploader only", permissions: ["asset.view", "asset.upload"] } }),
      201,
    );
    uploaderOnly = await addUser(admin, world.tenantA.slug, `uploader@${world.tenantA.slug}.example`);
    await grant(admin, world.p1, uploaderOnly.id, role.id);
  });

  it("lets the uploader set their own asset's thumbnail, but not someone else's without asset.edit_metadata", async () => {
    const own = await uploadAsset(uploaderOnly.token, world.p1, "own.mov", "x");
    expect((await putThumb(uploaderOnly.token, own.id, JPEG())).status).toBe(204);
    const others = await uploadAsset(world.users.member.token, world.p1, "others.mov", "x");
    const res = await putThumb(uploaderOnly.token, others.id, JPEG());
    expect(res.status).toBe(403);
    expect(await code(res)).toBe("forbidden");
    expect((await thumbnailRow(others.id))?.size).toBeNull();
    // An editor (the member holds asset.edit_metadata) may fix another's thumbnail.
    expect((await putThumb(world.users.member.token, own.id, JPEG())).status).toBe(204);
  });

  it("refuses a browser thumbnail once the server has made the asset's derivative", async () => {
    const asset = await uploadAsset(world.users.member.token, world.p1, "derived.mov", "x");
    // What the production derivation step writes (ADR 0011): the still, marked as server-made.
    await env.ASSETS.put(`tenants/${world.tenantA.id}/assets/${asset.id}/thumbnail`, JPEG(), {
      httpMetadata: { contentType: "image/jpeg" },
      customMetadata: { source: "server" },
    });
    const res = await putThumb(world.users.member.token, asset.id, JPEG());
    expect(res.status).toBe(409);
    expect(await code(res)).toBe("conflict");
  });
});

describe("thumbnail bytes count in usage", () => {
  it("adds them in the write's batch, moves by the difference when replaced, and removes them with the asset", async () => {
    const asset = await uploadAsset(world.users.member.token, world.p1, "counted.mov", "0123456789");
    const before = await usedBytes();
    const first = await pngImage(64, 64);
    expect((await putThumb(world.users.member.token, asset.id, first, "image/png")).status).toBe(204);
    expect((await usedBytes()) - before).toBe(first.byteLength);
    expect((await putThumb(world.users.member.token, asset.id, JPEG())).status).toBe(204);
    expect((await usedBytes()) - before).toBe(JPEG().byteLength);
    expect((await call(`/api/v1/assets/${asset.id}`, { method: "DELETE", token: admin })).status).toBe(204);
    expect(before - (await usedBytes())).toBe(10);
  });

  it("stays exact under a burst of 10 parallel replacements", async () => {
    const asset = await uploadAsset(world.users.member.token, world.p1, "burst.mov", "x");
    const before = await usedBytes();
    const images = await Promise.all(Array.from({ length: 10 }, (_, i) => pngImage(16 + i * 8, 16 + i * 8, { noise: true })));
    const results = await Promise.all(images.map((img) => putThumb(world.users.member.token, asset.id, img, "image/png")));
    expect(results.map((r) => r.status).every((s) => s === 204 || s === 409)).toBe(true);
    const row = await thumbnailRow(asset.id);
    expect((await usedBytes()) - before).toBe(row?.size);
    // The stored object is the one the row describes.
    const object = await env.ASSETS.head(`tenants/${world.tenantA.id}/assets/${asset.id}/thumbnail`);
    expect(object?.size).toBe(row?.size);
  });
});

describe("/thumbnail and /proxy serve different objects", () => {
  it("serves the still on /thumbnail (asset.view) and 404 on /proxy while no proxy exists", async () => {
    const asset = await uploadAsset(world.users.member.token, world.p1, "preview.mov", "x");
    expect((await putThumb(world.users.member.token, asset.id, JPEG())).status).toBe(204);
    const thumb = await call(`/api/v1/assets/${asset.id}/thumbnail`, { token: world.users.viewer.token });
    expect(thumb.status).toBe(200);
    expect(new Uint8Array(await thumb.arrayBuffer())).toEqual(JPEG());
    const proxy = await call(`/api/v1/assets/${asset.id}/proxy`, { token: world.users.viewer.token });
    expect(proxy.status).toBe(404);
    expect(await code(proxy)).toBe("not_found");
  });

  it("serves the proxy object on /proxy once the derivation made one, never the thumbnail", async () => {
    const asset = await uploadAsset(world.users.member.token, world.p1, "proxied.mov", "x");
    expect((await putThumb(world.users.member.token, asset.id, JPEG())).status).toBe(204);
    const proxyBytes = new TextEncoder().encode("low-resolution proxy bytes");
    await env.ASSETS.put(`tenants/${world.tenantA.id}/assets/${asset.id}/derived/proxy`, proxyBytes, { httpMetadata: { contentType: "video/mp4" } });
    const proxy = await call(`/api/v1/assets/${asset.id}/proxy`, { token: world.users.viewer.token });
    expect(proxy.status).toBe(200);
    expect(proxy.headers.get("Content-Type")).toBe("video/mp4");
    expect(proxy.headers.get("Content-Disposition")).toMatch(/^attachment; filename="proxied_proxy\.mp4"/);
    expect(new Uint8Array(await proxy.arrayBuffer())).toEqual(proxyBytes);
    const thumb = await call(`/api/v1/assets/${asset.id}/thumbnail`, { token: world.users.viewer.token });
    expect(new Uint8Array(await thumb.arrayBuffer())).toEqual(JPEG());
  });
});
