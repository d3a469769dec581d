import type { ActionFunctionArgs } from "@remix-run/cloudflare";
import { apiError } from "./errors.server";

type MutatingMethod = "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * An API route's action dispatches on the HTTP method; anything it does not
 * handle gets 405 with an Allow header, in the contract's error format.
 */
export function methodAction(
  handlers: Partial<Record<MutatingMethod, (args: ActionFunctionArgs) => Promise<Response> | Response>>,
  options: { allowsGet?: boolean } = {},
) {
  return async (args: ActionFunctionArgs): Promise<Response> => {
    const handler = handlers[args.request.method as MutatingMethod];
    if (handler) return handler(args);
    const allowed = [...(options.allowsGet === false ? [] : ["GET", "HEAD"]), ...Object.keys(handlers)];
    return apiError("method_not_allowed", `Method ${args.request.method} is not allowed here.`, {
      headers: { Allow: allowed.join(", ") },
    });
  };
}
