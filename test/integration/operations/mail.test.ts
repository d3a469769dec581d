import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { readConfig } from "~/.server/env/config.server";
import { deliverViaResend, sendMail } from "~/.server/mail/mail.server";
import { listOutbox } from "~/.server/mail/outbox.server";
import { resetMail } from "~/.server/mail/templates.server";
import { call } from "../../support/http";

/** The e-mail provider is a third party: its HTTP API is the one thing we fake. */
function fakeProvider(status: number) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetcher = (async (url: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(url), init: init ?? {} });
    return new Response(JSON.stringify({ id: "re_123" }), { status });
  }) as typeof fetch;
  return { requests, fetcher };
}

function mailContext(environment: "production" | "test", provider: "outbox" | "resend", fetcher?: typeof fetch) {
  const base = readConfig(env);
  const pending: Promise<unknown>[] = [];
  return {
    ctx: {
      env: { ...env, MAIL_API_KEY: "re_test_key" },
      config: { ...base, environment, mail: { provider, from: "Kura <no-reply@kura.test>" } },
      waitUntil: (p: Promise<unknown>) => void pending.push(p),
      ...(fetcher ? { fetcher } : {}),
    },
    settled: () => Promise.all(pending),
  };
}

const message = (to: string) =>
  resetMail({
    to,
    tenantName: "Acme",
    link: "https://kura.test/reset-password?token=kura_o.secret-value",
    tenantId: "tnt_aaaaaaaaaaaaaaaaaaaaaaaaaa",
    locale: null,
  });

describe("mail", () => {
  it("keeps every mail in the outbox; outside production the links stay readable there", async () => {
    const { ctx } = mailContext("test", "outbox");
    await sendMail(ctx, message("dev@x.example"));
    const [mail] = await listOutbox(env, { to: "dev@x.example", limit: 10 });
    expect(mail?.subject).toContain("Reset your password");
    expect(mail?.text).toContain("kura_o.secret-value");
  });

  it("in production blanks the links in the stored copy, so the outbox cannot take over an account", async () => {
    const provider = fakeProvider(200);
    const { ctx, settled } = mailContext("production", "resend", provider.fetcher);
    await sendMail(ctx, message("prod@x.example"));
    await settled();
    const [mail] = await listOutbox(env, { to: "prod@x.example", limit: 10 });
    expect(mail?.text).not.toContain("kura_o.secret-value");
    expect(mail?.text).toContain("[redacted]");
    // …while the provider received the real link.
    expect(provider.requests).toHaveLength(1);
    const sent = JSON.parse(String(provider.requests[0]?.init.body)) as { to: string[]; text: string; from: string };
    expect(sent.to).toEqual(["prod@x.example"]);
    expect(sent.text).toContain("kura_o.secret-value");
    expect(sent.from).toBe("Kura <no-reply@kura.test>");
    expect(provider.requests[0]?.url).toBe("https://api.resend.com/emails");
    expect(new Headers(provider.requests[0]?.init.headers).get("Authorization")).toBe("Bearer re_test_key");
  });

  it("marks a mail delivered only when the provider accepted it", async () => {
    for (const [status, delivered] of [
      [200, true],
      [503, false],
    ] as const) {
      const provider = fakeProvider(status);
      const { ctx } = mailContext("production", "outbox", provider.fetcher);
      const to = `delivery-${status}@x.example`;
      const id = await sendMail(ctx, message(to));
      expect(await deliverViaResend(ctx, id, message(to))).toBe(delivered);
      const row = await env.CONTROL_DB.prepare("SELECT delivered_at FROM email_outbox WHERE id = ?").bind(id).first<{ delivered_at: string | null }>();
      expect(row?.delivered_at !== null).toBe(delivered);
    }
  });

  it("serves the development mailbox page only in local development", async () => {
    const res = await call("/dev/mailbox");
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("Development mailbox");
  });
});
