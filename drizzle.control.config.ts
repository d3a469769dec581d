import { defineConfig } from "drizzle-kit";

// Control-plane migrations, applied by wrangler (`migrations_dir` in wrangler.toml).
export default defineConfig({
  dialect: "sqlite",
  schema: "./app/.server/db/control-schema.ts",
  out: "./migrations/control",
});
