import { drizzle } from "drizzle-orm/d1";
import type { KuraEnv } from "../env/env";
import { onePer } from "../memo.server";
import { d1For } from "./d1-limits.server";
import * as schema from "./control-schema";

/** One instance per binding (see drizzleTenant in tenant-data.server.ts). */
const controlDbFor = onePer((d1: D1Database) => drizzle(d1, { schema }));

export function controlDb(env: Pick<KuraEnv, "CONTROL_DB" | "KURA_ENV">) {
  return controlDbFor(d1For(env, env.CONTROL_DB));
}

export type ControlDb = ReturnType<typeof controlDb>;
