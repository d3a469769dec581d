/**
 * Attackers send requests in parallel. Every guessable secret is throttled by
 * reserving an attempt before it is checked (ADR 0017), so a burst of N wrong
 * guesses is *evaluated* at most `max` times: the rest are answered 429 before
 * any work. Each test fires the whole burst at once and counts the answers.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  api,
  createTenantWithAdmin,
  createUser,
  enableTotp,
  enrollTotp,
  freshIp,
  loginRequest,
  STRONG_PASSWORD,
  totpAt,
  currentStep,
  uniqueEmail,
  type ApiResult,
  type TenantFixture,
} from "../../support/identity";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let fx: TenantFixture;
beforeAll(async () => {
  fx = await createTenantWithAdmin();
});

function codeOf(res: ApiResult): string {
  return res.status === 200 || res.status === 201 || res.status === 202 || res.status === 204
    ? "ok"
    : ((res.body as { error?: { code?: string } })?.error?.code ?? String(res.status));
}

/** How many answers of each code a burst got, e.g. { invalid_credentials: 10, rate_limited: 30 }. */
function tally(results: ApiResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) out[codeOf(r)] = (out[codeOf(r)] ?? 0) + 1;
  return out;
}

function expectBurst(results: ApiResult[], evaluated: string, max: number) {
  const counts = tally(results);
  const label = JSON.stringify(counts);
  expect(counts[evaluated] ?? 0, `evaluated answers (${evaluated}) in ${label}`).toBeLessThanOrEqual(max);
  expect(counts[evaluated] ?? 0, `some were evaluated: ${label}`).toBeGreaterThan(0);
  expect((counts[evaluated] ?? 0) + (counts.rate_limited ?? 0), `only ${evaluated} and rate_limited: ${label}`).toBe(results.length);
  for (const r of results.filter((x) => codeOf(x) === "rate_limited")) expect(Number(r.headers.get("Retry-After"))).toBeGreaterThan(0);
}

/** A wrong six-digit code: the current one shifted, so it is never accidentally right. */
function wrongCode(key: Uint8Array, i: number): string {
  const right = totpAt(key, currentStep());
  return String((Number(right) + 1 + i) % 1_000_000).padStart(6, "0");
}

describe("bursts of wrong secrets are evaluated at most the limit", () => {
  it("40 parallel wrong passwords on one account: at most 10 are checked, the rest 429", async () => {
    const user = await createUser(fx);
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) => loginRequest({ tenant: fx.tenant.slug, email: user.email, password: `wrong-password-${i}-xyz`, ip: freshIp() })),
    );
    expectBurst(burst, "invalid_credentials", 10);
    // And the owner, with the right password, is now throttled too (the account's limit is spent).
    expect(codeOf(await loginRequest({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD, ip: freshIp() }))).toBe("rate_limited");
  });

  it("30 parallel wrong TOTP codes after the right password: at most 10 are checked", async () => {
    const user = await createUser(fx);
    const { key } = (await enableTotp(user.token)).device;
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        loginRequest({ tenant: fx.tenant.slug, email: user.email, password: STRONG_PASSWORD, otp: wrongCode(key, i), ip: freshIp() }),
      ),
    );
    expectBurst(burst, "invalid_otp", 10);
  });

  it("30 parallel wrong current passwords on POST /auth/password: at most 10 are checked", async () => {
    const user = await createUser(fx);
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        api("/auth/password", { token: user.token, json: { currentPassword: `not-my-password-${i}-abc`, newPassword: "a-brand-new-passphrase-93" } }),
      ),
    );
    expectBurst(burst, "validation_failed", 10);
  });

  it("30 parallel wrong codes on POST /auth/totp/confirm: at most 10 are checked", async () => {
    const user = await createUser(fx);
    const { key } = (await enrollTotp(user.token)).device;
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => api("/auth/totp/confirm", { token: user.token, json: { otp: wrongCode(key, i) } })));
    expectBurst(burst, "invalid_otp", 10);
  });

  it("40 parallel unknown setup tokens from one address: at most 20 are checked", async () => {
    const ip = freshIp();
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        api("/auth/setup", { ip, json: { token: `kura_o.tnt_aaaaaaaaaaaaaaaaaaaaaaaaaa.${String(i).padStart(52, "b")}`, password: STRONG_PASSWORD } }),
      ),
    );
    expectBurst(burst, "bad_request", 20);
  });

  it("20 parallel password-reset requests for one account: at most 5 are accepted", async () => {
    const user = await createUser(fx);
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => api("/auth/password-reset", { ip: freshIp(), json: { tenant: fx.tenant.slug, email: user.email } })),
    );
    expectBurst(burst, "ok", 5);
  });

  it("the per-address limit keys IPv6 by /64: rotating inside one /64 does not escape it", async () => {
    const prefix = `2001:db8:${(Date.now() % 0xffff).toString(16)}:7`;
    const results: ApiResult[] = [];
    // 60 different accounts (so the per-account limit never applies), 60 different addresses in one /64.
    for (let i = 0; i < 60; i++) {
      results.push(
        await loginRequest({ tenant: fx.tenant.slug, email: uniqueEmail("v6"), password: `guess-${i}-abcdefgh`, ip: `${prefix}::${(i + 1).toString(16)}` }),
      );
    }
    expectBurst(results, "invalid_credentials", 50);
    expect(codeOf(results.at(-1)!)).toBe("rate_limited");
    // Another /64 is not affected.
    expect(codeOf(await loginRequest({ tenant: fx.tenant.slug, email: uniqueEmail("v6"), password: "guess-abcdefgh", ip: `2001:db8:ffff:1::1` }))).toBe(
      "invalid_credentials",
    );
  });

  it("a right guess gives its slot back: successes do not spend the limit", async () => {
    const user = await createUser(fx);
    const ip = freshIp();
    for (let i = 0; i < 15; i++) {
      expect(codeOf(await api("/auth/password", { token: user.token, ip, json: { currentPassword: STRONG_PASSWORD, newPassword: STRONG_PASSWORD } }))).not.toBe(
        "rate_limited",
      );
    }
  });
});

describe("anonymous callers cannot flood a tenant's audit log", () => {
  type Page = { items: { action: string; details?: { reason?: string } }[] };
  async function failedLoginEvents(t: TenantFixture): Promise<Page["items"]> {
    const res = await api<Page>("/audit?action=auth.login_failed&limit=200", { token: t.admin.token });
    expect(res.status).toBe(200);
    return res.body.items;
  }

  it("60 attempts on one account write at most 10 auth.login_failed events (none for the 429s)", async () => {
    const t = await createTenantWithAdmin();
    const email = uniqueEmail("flood");
    await Promise.all(Array.from({ length: 60 }, (_, i) => loginRequest({ tenant: t.tenant.slug, email, password: `guess-${i}-abcdefgh`, ip: freshIp() })));
    const events = await failedLoginEvents(t);
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThanOrEqual(10);
  });

  it("rotating e-mails and addresses: at most 100 events per 15 minutes, then one event saying the rest were not written", async () => {
    const t = await createTenantWithAdmin();
    for (let round = 0; round < 6; round++) {
      await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          loginRequest({ tenant: t.tenant.slug, email: uniqueEmail(`r${round}-${i}`), password: "guess-abcdefgh", ip: freshIp() }),
        ),
      );
    }
    const events = await failedLoginEvents(t);
    expect(events.length).toBeLessThanOrEqual(100);
    expect(events.length).toBeGreaterThanOrEqual(90);
    const suppressed = await api<Page>("/audit?action=auth.login_failures_suppressed&limit=10", { token: t.admin.token });
    expect(suppressed.body.items).toHaveLength(1);
  });
});
