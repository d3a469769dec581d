import type { KuraContext } from "../context";
import { fail } from "../http/errors.server";

/** The console operator the guard put into the context of an `operator_console` route. */
export function operatorPrincipal(context: KuraContext): { id: string; email: string; name: string } {
  const p = context.principal;
  if (p.type !== "operator" || !p.account) fail("unauthenticated", "Sign in to the operator console first.");
  return p.account;
}
