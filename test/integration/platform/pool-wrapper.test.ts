/**
 * The test pool's own wrapper classes must not grow with use. Every SELF.fetch, queue delivery and
 * Durable Object start constructs one of @cloudflare/vitest-pool-workers' wrapper classes; its
 * 0.15.1 release wrapped the class's shared prototype in one more Proxy at each construction, so
 * every later property read went through one `get` trap per request made so far. A test file then
 * slowed request by request (the matrix files: 8–30 s a row late in a file) until workerd threw
 * "RangeError: Maximum call stack size exceeded". scripts/patch-vitest-pool-workers.mjs (run by
 * npm's postinstall) installs the Proxy once, as upstream's fix does (workers-sdk #15092, #15106).
 */
import { createExecutionContext, env } from "cloudflare:test";
import { createWorkerEntrypointWrapper } from "cloudflare:test-internal";
import { describe, expect, it } from "vitest";

describe("the test pool's entrypoint wrapper", () => {
  it("keeps one prototype however often it is constructed", () => {
    // The same factory (and the same createProxyPrototypeClass) that makes SELF's and every Durable Object's wrapper.
    const Wrapper = createWorkerEntrypointWrapper("default");
    const construct = () => Object.getPrototypeOf(new Wrapper(createExecutionContext(), env)) as object;
    const first = construct();
    construct();
    expect(construct(), "the prototype after three constructions").toBe(first);
    // A read through the prototype stays shallow: 2000 nested traps would overflow the stack long before 20,000.
    for (let i = 0; i < 20_000; i++) construct();
    expect(() => (new Wrapper(createExecutionContext(), env) as { fetch?: unknown }).fetch).not.toThrow();
  });
});
