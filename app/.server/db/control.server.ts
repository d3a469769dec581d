import { drizzle } from "drizzle-orm/d1";
import type { KuraEnv } from "../env/env";
import * as schema from "./control-schema";

function newControlDb(d1: D1Database) {
  return drizzle(d1, { schema });
}

/** One instance per binding (see drizzleTenant in tenant-data.server.ts). */
const controlDbs = new WeakMap<D1Database, ReturnType<typeof newControlDb>>();

export function controlDb(env: Pick<KuraEnv, "CONTROL_DB">) {
  let db = controlDbs.get(env.CONTROL_DB);
  if (!db) {
    db = newControlDb(env.CONTROL_DB);
    controlDbs.set(env.CONTROL_DB, db);
  }
  return db;
}

export type ControlDb = ReturnType<typeof controlDb>;
