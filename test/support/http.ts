import { SELF } from "cloudflare:test";
import { kuraClient, type Transport } from "./kura-client";

/** Requests go through the real Worker entry, like a client on the internet. */
export const ORIGIN = "https://kura.test";
export const OPERATOR_TOKEN = "test-operator-token-0123456789abcdef";

/** The shared fixture API (test/support/kura-client.ts) over the Worker in this isolate. */
export const selfTransport: Transport = (url, init) => SELF.fetch(url, init);
export const kura = kuraClient(selfTransport, { origin: ORIGIN, operatorToken: OPERATOR_TOKEN });

export function call(path: string, init: RequestInit & { json?: unknown; token?: string | null } = {}) {
  return kura.call(path, init as Parameters<typeof kura.call>[1]);
}

export function operator(path: string, init: RequestInit & { json?: unknown } = {}) {
  return call(path, { ...init, token: OPERATOR_TOKEN });
}

export type ApiErrorBody = { error: { code: string; message: string; details?: { path: string; message: string }[] } };

/** Signs in through the login page, as a browser does, and returns the `kura_session=…` cookie pair. */
export async function browserSignIn(p: { tenant: string; email: string; password: string; ip?: string }): Promise<string> {
  const headers: Record<string, string> = { Origin: ORIGIN, Host: new URL(ORIGIN).host, "Content-Type": "application/x-www-form-urlencoded" };
  if (p.ip) headers["CF-Connecting-IP"] = p.ip;
  const res = await call("/login", {
    method: "POST",
    redirect: "manual",
    headers,
    body: new URLSearchParams({ intent: "password", tenant: p.tenant, email: p.email, password: p.password }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("kura_session="));
  if (!cookie) throw new Error(`browser sign-in of ${p.email} gave ${res.status}`);
  return cookie.split(";")[0]!;
}
