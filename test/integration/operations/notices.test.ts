/**
 * Operator announcements (issue #12): addressed to some tenants or to all, read by the addressed
 * tenants' users through GET /notices, e-mailed to their active tenant admins only, and, when
 * addressed to everyone, shown on the public status page. Ended ones are shown nowhere.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, kura, operator } from "../../support/http";
import { PASSWORD } from "../../support/world";

type Tenant = Awaited<ReturnType<typeof kura.createTenant>> & { member: string };
let a: Tenant;
let b: Tenant;

async function tenant(slug: string): Promise<Tenant> {
  const t = await kura.createTenant({ slug, password: PASSWORD });
  const member = await kura.addUser(t.admin.token, slug, { email: `member@${slug}.example`, password: PASSWORD });
  await kura.addUser(t.admin.token, slug, { email: `second-admin@${slug}.example`, password: PASSWORD, tenantRole: "tenant_admin" });
  return { ...t, member: member.token };
}

const post = (json: unknown) => operator("/api/v1/operator/announcements", { method: "POST", json });
const noticeTitles = async (token: string) => (await kura.must<{ items: { title: string }[] }>(200, "/notices", { token })).items.map((n) => n.title);
const mailTo = async (to: string) =>
  ((await (await operator(`/api/v1/operator/outbox?to=${encodeURIComponent(to)}`)).json()) as { items: { subject: string; text: string }[] }).items;

beforeAll(async () => {
  a = await tenant("notice-a");
  b = await tenant("notice-b");
}, 60_000);

describe("POST /api/v1/operator/announcements", () => {
  it("reaches only the addressed tenant: its users see it, its active admins get it by e-mail", async () => {
    const res = await post({ severity: "incident", title: "アップロード遅延", body: "An upload delay in Tokyo. We are on it.", tenantIds: [a.id] });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ severity: "incident", tenantIds: [a.id], emailed: 2, endsAt: null });
    expect(await noticeTitles(a.member)).toContain("アップロード遅延");
    expect(await noticeTitles(a.admin.token)).toContain("アップロード遅延");
    expect(await noticeTitles(b.member)).not.toContain("アップロード遅延");
    for (const admin of [`admin@notice-a.example`, `second-admin@notice-a.example`]) {
      expect((await mailTo(admin)).some((m) => m.subject === "[Kura incident] アップロード遅延" && m.text.includes("upload delay"))).toBe(true);
    }
    expect((await mailTo("member@notice-a.example")).some((m) => m.subject.includes("アップロード遅延"))).toBe(false);
    expect((await mailTo("admin@notice-b.example")).some((m) => m.subject.includes("アップロード遅延"))).toBe(false);
    // Addressed to one tenant: not public.
    const status = (await (await call("/api/v1/status")).json()) as { notices: { title: string }[] };
    expect(status.notices.map((n) => n.title)).not.toContain("アップロード遅延");
  });

  it("addressed to everyone: every tenant sees it, every tenant's admins get it, and the status page shows it", async () => {
    const res = await post({ severity: "maintenance", title: "Maintenance on Sunday", body: "02:00–03:00 JST, read-only." });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { emailed: number }).emailed).toBeGreaterThanOrEqual(4);
    for (const t of [a, b]) expect(await noticeTitles(t.member)).toContain("Maintenance on Sunday");
    const status = (await (await call("/api/v1/status")).json()) as { notices: { title: string; severity: string }[] };
    expect(status.notices).toContainEqual(expect.objectContaining({ title: "Maintenance on Sunday", severity: "maintenance" }));
  });

  it("an ended announcement is shown nowhere", async () => {
    expect((await post({ severity: "info", title: "Already over", body: "Past.", endsAt: "2020-01-01T00:00:00Z" })).status).toBe(201);
    expect(await noticeTitles(a.member)).not.toContain("Already over");
    const status = (await (await call("/api/v1/status")).json()) as { notices: { title: string }[] };
    expect(status.notices.map((n) => n.title)).not.toContain("Already over");
  });

  it("refuses a bad body or a tenant that does not exist, posting nothing", async () => {
    for (const body of [
      { severity: "panic", title: "x", body: "y" },
      { severity: "info", title: "", body: "y" },
      { severity: "info", title: "x", body: "y", tenantIds: [] },
      { severity: "info", title: "x", body: "y", tenantIds: [a.id, a.id] },
      { severity: "info", title: "x", body: "y", extra: true },
      { severity: "info", title: "Nobody", body: "y", tenantIds: ["tnt_aaaaaaaaaaaaaaaaaaaaaaaaaa"] },
    ]) {
      expect((await post(body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(await noticeTitles(a.member)).not.toContain("Nobody");
  });
});
