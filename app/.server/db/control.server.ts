import { drizzle } from "drizzle-orm/d1";
import type { KuraEnv } from "../env/env";
import { onePer } from "../memo.server";
import * as schema from "./control-schema";

/** One instance per binding (see drizzleTenant in tenant-data.server.ts). */
const controlDbFor = onePer((d1: D1Database) => drizzle(d1, { schema }));

export function controlDb(env: Pick<KuraEnv, "CONTROL_DB">) {
  return controlDbFor(env.CONTROL_DB);
}

export type ControlDb = ReturnType<typeof controlDb>;
