import { defineConfig } from "vitest/config";

// Runs in Node: the tests drive Chromium, or the API with the real transcoder (test/pipeline),
// against the server started by scripts/e2e.mjs (E2E_BASE_URL). Use `npm run test:e2e`, not this file alone.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.test.ts", "test/pipeline/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
