import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

/**
 * Fast unit project: pure modules (technical-metadata parsers, timecode,
 * upload engine, schemas) in plain Node, without workerd and without building
 * the app. `npm run test:unit`; `npm test` runs it first. Anything that needs
 * D1, R2, Durable Objects or the Worker belongs in vitest.config.ts.
 */
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    environment: "node",
    include: ["test/unit/**/*.test.ts"],
    pool: "threads",
    testTimeout: 30_000,
  },
});
