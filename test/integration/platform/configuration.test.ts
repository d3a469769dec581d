/**
 * Configuration checked at start (issue #10, defect 10): Kura started with
 * `.dev.vars.example` copied as `.dev.vars` used to report "operational",
 * accept the example's OPERATOR_TOKEN as the operator and answer 500 at the
 * first 2FA enrolment. Placeholders, malformed keys and weak tokens are now
 * refused, and the status page says the configuration is not operational.
 */
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../../workers/index";
import { describe, expect, it } from "vitest";
import { readSecrets } from "~/.server/env/secrets.server";
import type { KuraEnv } from "~/.server/env/env";
import { ORIGIN } from "../../support/http";
import { api, createTenantWithAdmin, createUser, outbox, uniqueEmail, waitForMail } from "../../support/identity";
import { readConfig } from "~/.server/env/config.server";
import { sendMail } from "~/.server/mail/mail.server";

/** The KEY=value lines of the committed example file. */
function exampleValues(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of env.TEST_DEV_VARS_EXAMPLE.split("\n")) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** The real Worker with the real bindings, but other secrets. */
async function fetchWith(secrets: Partial<KuraEnv>, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(ORIGIN + path, init), { ...env, ...secrets } as KuraEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const GOOD_TOKEN = "Qm9vdHN0cmFwLXRva2VuLXdpdGgtZW5vdWdoLWVudHJvcHktOTg3";
const GOOD_KEY = "3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhs=";

describe("readSecrets", () => {
  it("refuses every value of .dev.vars.example", () => {
    const example = exampleValues();
    expect(example.OPERATOR_TOKEN).toBeTruthy();
    expect(example.DATA_ENCRYPTION_KEY).toBeTruthy();
    expect(example.CERTIFICATE_SIGNING_KEY).toBeTruthy();
    const secrets = readSecrets({ ...env, ...example } as KuraEnv);
    expect(secrets.operatorToken).toBeNull();
    expect(secrets.dataEncryptionKey).toBeNull();
    expect(secrets.problems.map((p) => p.name).sort()).toEqual(["CERTIFICATE_SIGNING_KEY", "DATA_ENCRYPTION_KEY", "OPERATOR_TOKEN"]);
  });

  it("tells missing, placeholder, malformed and weak apart, and accepts real values", () => {
    const problemOf = (patch: Partial<KuraEnv>) =>
      readSecrets({ ...env, OPERATOR_TOKEN: GOOD_TOKEN, DATA_ENCRYPTION_KEY: GOOD_KEY, ...patch } as KuraEnv).problems;
    expect(problemOf({})).toEqual([]);
    expect(problemOf({ OPERATOR_TOKEN: undefined })).toEqual([{ name: "OPERATOR_TOKEN", problem: "missing" }]);
    expect(problemOf({ OPERATOR_TOKEN: "x".repeat(40) })).toEqual([{ name: "OPERATOR_TOKEN", problem: "weak" }]);
    expect(problemOf({ OPERATOR_TOKEN: "short-but-random-Zq8" })).toEqual([{ name: "OPERATOR_TOKEN", problem: "weak" }]);
    expect(problemOf({ OPERATOR_TOKEN: "replace-me-with-a-long-random-operator-token-0123" })).toEqual([{ name: "OPERATOR_TOKEN", problem: "placeholder" }]);
    expect(problemOf({ DATA_ENCRYPTION_KEY: "not base64 at all!" })).toEqual([{ name: "DATA_ENCRYPTION_KEY", problem: "malformed" }]);
    expect(problemOf({ DATA_ENCRYPTION_KEY: btoa("sixteen-byte-key") })).toEqual([{ name: "DATA_ENCRYPTION_KEY", problem: "malformed" }]);
    expect(problemOf({ DATA_ENCRYPTION_KEY: btoa("\0".repeat(32)) })).toEqual([{ name: "DATA_ENCRYPTION_KEY", problem: "weak" }]);
    expect(problemOf({ MAIL_PROVIDER: "resend" })).toEqual([{ name: "MAIL_API_KEY", problem: "missing" }]);
  });
});

describe("a Worker started with the example secrets", () => {
  const example = () => exampleValues() as Partial<KuraEnv>;

  it("reports the configuration component as not operational (and names no secret publicly)", async () => {
    const res = await fetchWith(example(), "/api/v1/status");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain("OPERATOR_TOKEN");
    const body = JSON.parse(text) as { status: string; components: { name: string; status: string }[] };
    expect(body.status).toBe("degraded");
    expect(body.components.find((c) => c.name === "configuration")?.status).toBe("degraded");
    // With the real test secrets it is operational.
    const good = (await (await fetchWith({}, "/api/v1/status")).json()) as typeof body;
    expect(good.components.find((c) => c.name === "configuration")?.status).toBe("operational");
  });

  it("does not accept the example's OPERATOR_TOKEN as the operator", async () => {
    const ex = example();
    const res = await fetchWith(ex, "/api/v1/operator/tenants", { headers: { Authorization: `Bearer ${ex.OPERATOR_TOKEN}` } });
    expect(res.status).toBe(401);
  });

  it("answers 2FA enrolment with 503 service_unavailable, not 500, and stores nothing", async () => {
    const fx = await createTenantWithAdmin();
    const user = await createUser(fx);
    const res = await fetchWith(example(), "/api/v1/auth/totp/enroll", {
      method: "POST",
      headers: { Authorization: `Bearer ${user.token}`, "Content-Type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("service_unavailable");
  });
});

describe("e-mailed links (issue #10, defect 11)", () => {
  it("never take the request's Host: a reset asked for through a forged host still links to PUBLIC_BASE_URL", async () => {
    const fx = await createTenantWithAdmin();
    const user = await createUser(fx);
    const res = await SELF.fetch("https://attacker.example/api/v1/auth/password-reset", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "192.0.2.77" },
      body: JSON.stringify({ tenant: fx.tenant.slug, email: user.email }),
    });
    expect(res.status).toBe(202);
    const mail = await waitForMail(user.email, (m) => m.text.includes("reset-password"));
    expect(mail, "reset mail").not.toBeNull();
    expect(mail!.text).toContain("https://kura.test/reset-password?token=");
    expect(mail!.text).not.toContain("attacker.example");
  });

  it("without PUBLIC_BASE_URL outside loopback development, an invitation is refused (503) and no user is created", async () => {
    const fx = await createTenantWithAdmin();
    const email = uniqueEmail("nolink");
    const res = await fetchWith({ PUBLIC_BASE_URL: undefined }, "/api/v1/users", {
      method: "POST",
      headers: { Authorization: `Bearer ${fx.admin.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ email, tenantRole: "user" }),
    });
    expect(res.status).toBe(503);
    const list = await api<{ items: { email: string }[] }>("/users?limit=200", { token: fx.admin.token });
    expect(list.body.items.map((u) => u.email)).not.toContain(email);
  });

  it("in production a missing PUBLIC_BASE_URL is a configuration problem", () => {
    expect(readSecrets({ ...env, KURA_ENV: "production", PUBLIC_BASE_URL: undefined } as KuraEnv).problems).toContainEqual({
      name: "PUBLIC_BASE_URL",
      problem: "missing",
    });
  });

  it("the outbox keeps links readable only where it is the only mailbox: with a real provider they are blanked whatever KURA_ENV says", async () => {
    const link = `https://kura.test/setup?token=${crypto.randomUUID()}`;
    const to = uniqueEmail("redact");
    const delivered: string[] = [];
    // The mail provider is a third party: its HTTP API is the one thing replaced here.
    const fetcher = (async (_url: RequestInfo | URL, init?: RequestInit) => {
      delivered.push(String(init?.body));
      return new Response("{}", { status: 200 });
    }) as typeof fetch;
    const pending: Promise<unknown>[] = [];
    const config = { ...readConfig(env), mail: { provider: "resend" as const, from: "Kura <no-reply@kura.test>" } };
    await sendMail(
      { env: { ...env, MAIL_API_KEY: "re_live_key_0123456789" }, config, waitUntil: (p) => pending.push(p), fetcher },
      { to, subject: "s", text: `Open ${link}`, secrets: [link] },
    );
    await Promise.all(pending);
    const stored = await outbox(to);
    expect(stored[0]!.text).toBe("Open [redacted]");
    // The recipient still gets the live link.
    expect(delivered.join("")).toContain(link);
  });
});
