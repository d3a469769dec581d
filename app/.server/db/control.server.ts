import { drizzle } from "drizzle-orm/d1";
import type { KuraEnv } from "../env/env";
import * as schema from "./control-schema";

export function controlDb(env: Pick<KuraEnv, "CONTROL_DB">) {
  return drizzle(env.CONTROL_DB, { schema });
}

export type ControlDb = ReturnType<typeof controlDb>;
