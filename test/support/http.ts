import { SELF } from "cloudflare:test";

/** Requests go through the real Worker entry, like a client on the internet. */
export const ORIGIN = "https://kura.test";
export const OPERATOR_TOKEN = "test-operator-token-0123456789abcdef";

export function call(path: string, init: RequestInit & { json?: unknown; token?: string | null } = {}) {
  const headers = new Headers(init.headers);
  if (init.json !== undefined) headers.set("Content-Type", "application/json");
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  return SELF.fetch(ORIGIN + path, {
    ...init,
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
}

export function operator(path: string, init: RequestInit & { json?: unknown } = {}) {
  return call(path, { ...init, token: OPERATOR_TOKEN });
}

export type ApiErrorBody = { error: { code: string; message: string; details?: { path: string; message: string }[] } };
