import { describe, expect, it } from "vitest";
import { dayRangeInZone, effectiveTimeZone, startOfDayInZone } from "~/i18n/time-zone";
import { pseudoRandomBytes, uploadAsset, waitProcessed } from "../../support/assets";
import { browserSignIn, call } from "../../support/http";
import { api, createTenantWithAdmin, createUser, expectStatus, expectValidation, me, type Actor } from "../../support/identity";

/**
 * Times in the viewer's time zone (issue #11, defect 2; ADR 0023): the user's
 * setting, else the tenant's, else Asia/Tokyo for Japanese, else the browser's.
 * Runs in workerd, so the Intl data used is the Worker's own.
 */

function page(path: string, p: { cookie: string; lang?: string; browserZone?: string }) {
  const cookies = [p.cookie, ...(p.browserZone ? [`kura_tz=${encodeURIComponent(p.browserZone)}`] : [])];
  return call(path, { headers: { Cookie: cookies.join("; "), "Accept-Language": p.lang ?? "en" }, redirect: "manual" });
}

/** The calendar date of an instant in a zone (the zone rules of Intl). */
function dateIn(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(ms));
}

/** One of UTC+14 and UTC−11 is always on another calendar date than UTC. */
function zoneOnAnotherDay(ms: number): string {
  const utc = dateIn(ms, "UTC");
  return ["Pacific/Kiritimati", "Pacific/Pago_Pago"].find((z) => dateIn(ms, z) !== utc)!;
}

async function cookieOf(actor: Actor): Promise<string> {
  return browserSignIn({ tenant: actor.tenant.slug, email: actor.email, password: actor.password });
}

describe("day ranges in a zone (Intl in workerd)", () => {
  it("knows the IANA zones", () => {
    const zones = Intl.supportedValuesOf("timeZone");
    expect(zones).toContain("Asia/Tokyo");
    expect(zones).toContain("America/New_York");
  });

  it("a Tokyo day starts at 15:00 UTC the day before", () => {
    expect(dayRangeInZone({ from: "2026-12-03", to: "2026-12-03" }, "Asia/Tokyo")).toEqual({
      from: "2026-12-02T15:00:00.000Z",
      to: "2026-12-03T15:00:00.000Z",
    });
  });

  it("a New York day is 23 hours when clocks go forward and 25 when they go back", () => {
    const spring = dayRangeInZone({ from: "2026-03-08", to: "2026-03-08" }, "America/New_York");
    expect(spring).toEqual({ from: "2026-03-08T05:00:00.000Z", to: "2026-03-09T04:00:00.000Z" });
    const autumn = dayRangeInZone({ from: "2026-11-01", to: "2026-11-01" }, "America/New_York");
    expect(autumn).toEqual({ from: "2026-11-01T04:00:00.000Z", to: "2026-11-02T05:00:00.000Z" });
    // The day before and after the change keep 24 hours.
    expect(dayRangeInZone({ from: "2026-03-07", to: "2026-03-07" }, "America/New_York")).toEqual({
      from: "2026-03-07T05:00:00.000Z",
      to: "2026-03-08T05:00:00.000Z",
    });
  });

  it("a day whose midnight is skipped starts when the clocks jump", () => {
    // Chile moves from UTC−4 to UTC−3 at 24:00 on 2026-09-05: 2026-09-06 begins at 01:00 local (04:00 UTC).
    expect(startOfDayInZone("2026-09-06", "America/Santiago").toISOString()).toBe("2026-09-06T04:00:00.000Z");
  });

  it("precedence: the user's zone, the tenant's, Tokyo for Japanese, then the browser's", () => {
    expect(effectiveTimeZone({ user: "Europe/Paris", tenant: "Asia/Seoul", locale: "ja", browser: "America/Denver" })).toBe("Europe/Paris");
    expect(effectiveTimeZone({ user: null, tenant: "Asia/Seoul", locale: "ja", browser: "America/Denver" })).toBe("Asia/Seoul");
    expect(effectiveTimeZone({ user: null, tenant: null, locale: "ja", browser: "America/Denver" })).toBe("Asia/Tokyo");
    expect(effectiveTimeZone({ user: null, tenant: null, locale: "en", browser: "America/Denver" })).toBe("America/Denver");
    expect(effectiveTimeZone({ user: null, tenant: null, locale: "en", browser: null })).toBe("UTC");
  });
});

describe("time-zone settings", () => {
  it("a user's zone and the tenant's are validated (400), saved, audited and shown by GET /me", async () => {
    const fixture = await createTenantWithAdmin();
    const user = await createUser(fixture);
    const admin = fixture.admin.token;

    expectValidation(await api("/me", { method: "PATCH", token: user.token, json: { timeZone: "Mars/Olympus_Mons" } }), "timeZone", "unknown zone");
    expectValidation(await api("/me", { method: "PATCH", token: user.token, json: { timeZone: "" } }), "timeZone", "empty zone");
    expectValidation(await api("/tenant/settings", { method: "PATCH", token: admin, json: { timeZone: "Asia/Nowhere" } }), "timeZone", "tenant zone");

    // Nothing chosen: Japanese first (Tokyo); an API client (no browser) of an English user gets UTC.
    let mine = await me(user.token);
    expect(mine.body).toMatchObject({ locale: null, timeZone: null, effectiveTimeZone: "Asia/Tokyo" });
    expectStatus(await api("/me", { method: "PATCH", token: user.token, json: { locale: "en" } }), 200);
    expect((await me(user.token)).body).toMatchObject({ timeZone: null, effectiveTimeZone: "UTC" });
    expectStatus(await api("/me", { method: "PATCH", token: user.token, json: { locale: "ja" } }), 200);
    expect((await me(user.token)).body).toMatchObject({ timeZone: null, effectiveTimeZone: "Asia/Tokyo" });

    // The tenant's zone beats the language default…
    const settings = await api("/tenant/settings", { method: "PATCH", token: admin, json: { timeZone: "Asia/Seoul" } });
    expectStatus(settings, 200);
    expect(settings.body).toMatchObject({ timeZone: "Asia/Seoul", require2fa: false });
    expect((await api("/tenant/settings", { token: admin })).body).toMatchObject({ timeZone: "Asia/Seoul" });
    expect((await me(user.token)).body).toMatchObject({ timeZone: null, effectiveTimeZone: "Asia/Seoul" });

    // …and the user's own beats the tenant's; null goes back to the tenant's.
    const own = await api("/me", { method: "PATCH", token: user.token, json: { timeZone: "America/New_York" } });
    expectStatus(own, 200);
    expect(own.body).toMatchObject({ timeZone: "America/New_York", effectiveTimeZone: "America/New_York" });
    mine = await api("/me", { method: "PATCH", token: user.token, json: { timeZone: null } });
    expect(mine.body).toMatchObject({ timeZone: null, effectiveTimeZone: "Asia/Seoul" });

    // The tenant's setting can be cleared too, and other settings stay as they were.
    expect((await api("/tenant/settings", { method: "PATCH", token: admin, json: { timeZone: null } })).body).toMatchObject({ timeZone: null });

    const audit = await api<{ items: { action: string; details: Record<string, unknown> | null }[] }>("/audit?limit=50", { token: admin });
    const profile = audit.body.items.find((e) => e.action === "user.profile_updated" && (e.details as { timeZone?: string })?.timeZone === "America/New_York");
    expect(profile, "user.profile_updated with the zone").toBeDefined();
    const tenant = audit.body.items.find((e) => e.action === "settings.updated" && JSON.stringify(e.details).includes("Asia/Seoul"));
    expect(tenant, "settings.updated with the zone").toBeDefined();
  });

  it("pages show times in the effective zone, with the zone visible", async () => {
    const fixture = await createTenantWithAdmin();
    const cookie = await cookieOf(fixture.admin);
    // Japanese without any setting: Japan time.
    const ja = await (await page("/admin/users", { cookie, lang: "ja" })).text();
    expect(ja).toContain("JST");
    expect(ja).not.toMatch(/\d UTC</);
    // English: the browser's zone, as its cookie reports it.
    const en = await (await page("/admin/users", { cookie: `${cookie}; kura_locale=en`, browserZone: "America/New_York" })).text();
    expect(en).toMatch(/GMT-[45]|EST|EDT/);
    // A zone the runtime does not know is ignored (UTC), never an error.
    const odd = await page("/admin/users", { cookie: `${cookie}; kura_locale=en`, browserZone: "Nowhere/Nothing" });
    expect(odd.status).toBe(200);
    expect(await odd.text()).toContain("UTC");
  });

  it("the account page saves the zone; a zone not in the list is refused with a field error", async () => {
    const fixture = await createTenantWithAdmin();
    const cookie = await cookieOf(fixture.admin);
    const headers = { Cookie: cookie, Origin: "https://kura.test", Host: "kura.test", "Accept-Language": "en" };
    const post = (fields: Record<string, string>) => call("/account", { method: "POST", headers, body: new URLSearchParams(fields), redirect: "manual" });
    const bad = await post({ intent: "profile", name: "Admin", locale: "en", timeZone: "Not/AZone" });
    expect(await bad.text()).toContain("Choose a time zone from the list.");
    expect((await me(fixture.admin.token)).body).toMatchObject({ timeZone: null });
    const good = await post({ intent: "profile", name: "Admin", locale: "en", timeZone: "Europe/Berlin" });
    expect(good.status).toBe(200);
    expect((await me(fixture.admin.token)).body).toMatchObject({ timeZone: "Europe/Berlin" });
    const html = await (await page("/account", { cookie })).text();
    expect(html).toMatch(/<option value="Europe\/Berlin" selected="">/);
    // "Tenant default" stores no zone of the user's own.
    await post({ intent: "profile", name: "Admin", locale: "en", timeZone: "" });
    expect((await me(fixture.admin.token)).body).toMatchObject({ timeZone: null });
  });

  it("the audit screen's day filters are days in the viewer's zone, for the list and the export", async () => {
    const fixture = await createTenantWithAdmin();
    const now = Date.now();
    const zone = zoneOnAnotherDay(now);
    expectStatus(await api("/me", { method: "PATCH", token: fixture.admin.token, json: { timeZone: zone } }), 200);
    const cookie = await cookieOf(fixture.admin);
    const localDay = dateIn(now, zone);
    const utcDay = dateIn(now, "UTC");
    const listed = async (day: string) =>
      (await (await page(`/admin/audit?from=${day}&to=${day}`, { cookie })).text()).includes('data-action="user.profile_updated"');
    // The zone change just made happened "today" in the viewer's zone, not on the UTC date.
    expect(await listed(localDay), `${zone} ${localDay}`).toBe(true);
    expect(await listed(utcDay), `UTC ${utcDay}`).toBe(false);
    const csv = async (day: string) =>
      (await (await page(`/admin/audit/export?format=csv&from=${day}&to=${day}`, { cookie })).text()).includes("user.profile_updated");
    expect(await csv(localDay)).toBe(true);
    expect(await csv(utcDay)).toBe(false);
  });

  it("the browse page's created-date filters are days in the viewer's zone", async () => {
    const fixture = await createTenantWithAdmin();
    const now = Date.now();
    const zone = zoneOnAnotherDay(now);
    expectStatus(await api("/me", { method: "PATCH", token: fixture.admin.token, json: { timeZone: zone } }), 200);
    const project = (await api("/projects", { method: "POST", token: fixture.admin.token, json: { name: "Zones" } })).body as { id: string };
    const asset = await uploadAsset(fixture.admin.token, project.id, "today.mov", pseudoRandomBytes(1024, 3), { type: "video/quicktime" });
    await waitProcessed(fixture.admin.token, asset.id);
    const cookie = await cookieOf(fixture.admin);
    const listed = async (day: string) =>
      (await (await page(`/projects/${project.id}?createdFrom=${day}&createdTo=${day}`, { cookie })).text()).includes(asset.id);
    // Uploaded "today" in the viewer's zone, which is not the UTC date.
    expect(await listed(dateIn(now, zone)), `${zone}`).toBe(true);
    expect(await listed(dateIn(now, "UTC")), "UTC date").toBe(false);
  });
});
