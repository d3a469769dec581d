import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";
import { LongestFirstSequencer } from "./test/longest-first-sequencer";

/** A folder of test/fixtures as { file name: base64 } (media for the technical-metadata tests, csv for the metadata import). */
function fixtures(folder: string): Record<string, string> {
  const dir = path.join(__dirname, "test/fixtures", folder);
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(".md")) out[name] = readFileSync(path.join(dir, name)).toString("base64");
  }
  return out;
}

/** Integration files run at once (`KURA_TEST_WORKERS` overrides, e.g. 1 to read one file's log alone). */
const INTEGRATION_WORKERS = Number(process.env.KURA_TEST_WORKERS ?? 2);

/**
 * Integration tests run inside workerd against real local D1, R2 and Durable
 * Objects, through the real Worker entry (workers/index.ts). The app must be
 * built first (npm test does it): the Worker imports build/server.
 */
export default defineConfig(async () => {
  const controlMigrations = await readD1Migrations(path.join(__dirname, "migrations/control"));
  const tenantMigrations = await readD1Migrations(path.join(__dirname, "migrations/tenant"));
  return {
    plugins: [
      tsconfigPaths(),
      cloudflareTest({
        main: "./workers/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            KURA_ENV: "test",
            // E-mailed links never take the request's Host (outside loopback development).
            PUBLIC_BASE_URL: "https://kura.test",
            OPERATOR_ALERT_EMAIL: "operations@kura.test",
            OPERATOR_TOKEN: "test-operator-token-0123456789abcdef",
            // A fixed test key (base64 of 32 bytes) for TOTP secrets at rest.
            DATA_ENCRYPTION_KEY: "a3VyYS10ZXN0LWRhdGEtZW5jcnlwdGlvbi1rZXktMzI=",
            // A fixed Ed25519 seed (base64 of 32 bytes) for signing deletion certificates.
            CERTIFICATE_SIGNING_KEY: "a3VyYS10ZXN0LWNlcnRpZmljYXRlLXNpZ25pbmctMzI=",
            // A fixed key (base64 of 32 bytes) for the transcoder's signed job URLs (ADR 0030). No
            // TRANSCODER_URL: jobs stay queued here; test/pipeline runs the real transcoder.
            TRANSCODER_SIGNING_KEY: "a3VyYS10ZXN0LXRyYW5zY29kZXItc2lnbmluZy0zMjA=",
            // Cheap Argon2id so hundreds of logins stay fast; the parameters
            // travel with each hash, and production uses the default cost.
            ARGON2_MEMORY_KIB: "64",
            ARGON2_PASSES: "1",
            // Lets a test kill a multi-store operation between its steps
            // (app/.server/testing/faults.server.ts); never set outside tests.
            KURA_TEST_FAULTS: "on",
            TEST_CONTROL_MIGRATIONS: controlMigrations,
            TEST_TENANT_MIGRATIONS: tenantMigrations,
            TEST_MEDIA_FIXTURES: fixtures("media"),
            TEST_CSV_FIXTURES: fixtures("csv"),
            // The committed example secrets file, so a test proves its values are refused.
            TEST_DEV_VARS_EXAMPLE: readFileSync(path.join(__dirname, ".dev.vars.example"), "utf8"),
          },
          // A second tenant-data shard, declared only as configuration, to
          // prove that placing tenants on it needs no code change.
          d1Databases: { TENANT_DB_S1: "kura-tenant-s1-test" },
        },
      }),
    ],
    test: {
      include: ["test/integration/**/*.test.ts"],
      // Two files at a time, each in its own workerd. Vitest's default is cores − 1, which is one
      // on the 2-core CI machines: the files then ran one after another, one core mostly idle.
      maxWorkers: INTEGRATION_WORKERS,
      sequence: { sequencer: LongestFirstSequencer },
      // Every test drives the real Worker, D1, R2 and Durable Objects; on a loaded 2-core CI
      // machine a test of a few dozen requests can pass 5 s (vitest's default) without anything
      // being wrong. Tests that need longer still say so themselves.
      testTimeout: 30_000,
      // Request log lines of passing tests are noise; failing tests keep theirs.
      silent: "passed-only" as const,
      setupFiles: ["./test/support/apply-migrations.ts"],
      deps: { optimizer: { ssr: { enabled: true, include: ["@remix-run/cloudflare"] } } },
    },
  };
});
