import type { KuraEnv } from "../env/env";

/**
 * Test-only fault injection: lets an integration test kill a multi-store
 * operation between two of its steps, to prove that no step order leaves
 * the stores inconsistent (ADR 0016). It does nothing unless the Worker runs
 * with KURA_ENV=test *and* the KURA_TEST_FAULTS binding that only
 * vitest.config.ts sets; production has neither, so no request can reach it.
 * The test installs the hook on globalThis, which the Worker under test
 * shares with it (same isolate in @cloudflare/vitest-pool-workers).
 */
export type FaultHook = (point: FaultPoint) => void | Promise<void>;

/** The points where a test may inject a failure. */
export type FaultPoint = "asset-delete:between-stores" | "backup:after-step" | "backup:manifest-written" | "purge:after-step" | "move:after-step";

const HOOK = "__kuraTestFaultHook";

export async function faultPoint(env: Pick<KuraEnv, "KURA_ENV" | "KURA_TEST_FAULTS">, point: FaultPoint): Promise<void> {
  if (env.KURA_ENV !== "test" || env.KURA_TEST_FAULTS !== "on") return;
  const hook = (globalThis as Record<string, unknown>)[HOOK] as FaultHook | undefined;
  await hook?.(point);
}

/** For tests: installs (or, with null, removes) the fault hook. */
export function setFaultHook(hook: FaultHook | null): void {
  (globalThis as Record<string, unknown>)[HOOK] = hook ?? undefined;
}
