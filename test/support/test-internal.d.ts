/**
 * The test pool's internal module, which cloudflare:test re-exports from. Only
 * test/integration/platform/pool-wrapper.test.ts imports it, to check the pool's wrapper classes.
 */
declare module "cloudflare:test-internal" {
  /** The class the pool puts in front of a Worker's entrypoint (SELF uses the one for "default"). */
  export function createWorkerEntrypointWrapper(entrypoint: string): new (ctx: ExecutionContext, env: unknown) => object;
}
