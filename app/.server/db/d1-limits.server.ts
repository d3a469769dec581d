import type { KuraEnv } from "../env/env";
import { onePer } from "../memo.server";

/**
 * Production D1 refuses statements that local workerd (tests, `wrangler dev`)
 * runs happily: more than 100 bound parameters, SQL text over 100 KB, a bound
 * string or blob over 2 MB. So that a test or a developer meets the failure
 * production would give, every D1 binding is wrapped outside production by a
 * checker that throws first, naming the limit (ADR 0016). Production gets the
 * bare binding: no cost there.
 */
export const D1_LIMITS = {
  maxBoundParameters: 100,
  maxSqlBytes: 100_000,
  maxValueBytes: 2_000_000,
} as const;

const encoder = new TextEncoder();

/** UTF-8 size of `text` when it may pass `limit`; 0 when it cannot (UTF-8 takes at most 3 bytes per UTF-16 unit). */
function utf8BytesNear(text: string, limit: number): number {
  return text.length * 3 <= limit ? 0 : encoder.encode(text).length;
}

function excerpt(sql: string): string {
  return sql.length > 120 ? `${sql.slice(0, 120)}…` : sql;
}

function checkSql(sql: string): void {
  const bytes = utf8BytesNear(sql, D1_LIMITS.maxSqlBytes);
  if (bytes > D1_LIMITS.maxSqlBytes) {
    throw new Error(`D1 limit exceeded: SQL statement is ${bytes} bytes; production D1 allows at most ${D1_LIMITS.maxSqlBytes} (SQL: ${excerpt(sql)})`);
  }
}

function valueBytes(value: unknown): number {
  if (typeof value === "string") return utf8BytesNear(value, D1_LIMITS.maxValueBytes);
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return value.byteLength;
  return 0;
}

function checkBindings(sql: string, values: readonly unknown[]): void {
  if (values.length > D1_LIMITS.maxBoundParameters) {
    throw new Error(
      `D1 limit exceeded: statement binds ${values.length} parameters; production D1 allows at most ${D1_LIMITS.maxBoundParameters} (SQL: ${excerpt(sql)})`,
    );
  }
  values.forEach((value, i) => {
    const bytes = valueBytes(value);
    if (bytes > D1_LIMITS.maxValueBytes) {
      throw new Error(
        `D1 limit exceeded: bound parameter ${i + 1} is ${bytes} bytes; production D1 allows at most ${D1_LIMITS.maxValueBytes} per value (SQL: ${excerpt(sql)})`,
      );
    }
  });
}

/** A prepared statement that checks its bindings; `inner` is what D1's own batch() needs. */
class CheckedStatement {
  constructor(
    readonly inner: D1PreparedStatement,
    readonly sql: string,
  ) {}
  bind(...values: unknown[]): CheckedStatement {
    checkBindings(this.sql, values);
    return new CheckedStatement(this.inner.bind(...values), this.sql);
  }
  first<T>(column?: string): Promise<T | null> {
    return column === undefined ? this.inner.first<T>() : this.inner.first<T>(column);
  }
  run<T>() {
    return this.inner.run<T>();
  }
  all<T>() {
    return this.inner.all<T>();
  }
  raw<T>(options?: { columnNames?: boolean }) {
    return this.inner.raw<T>(options as { columnNames: true }) as Promise<T[]>;
  }
}

function unwrap(statements: D1PreparedStatement[]): D1PreparedStatement[] {
  return statements.map((s) => (s instanceof CheckedStatement ? s.inner : s) as D1PreparedStatement);
}

type Preparer = Pick<D1Database, "prepare" | "batch">;

/**
 * Test-only: a function on globalThis that sees the SQL of every statement the
 * app prepares through a checked binding (test/support/statements.ts records
 * them to prove every statement on a tenant table names its tenant). Only the
 * checked wrapper calls it, and production never uses the wrapper.
 */
const STATEMENT_OBSERVER = "__kuraStatementObserver";
function observe(sql: string): void {
  const observer = (globalThis as Record<string, unknown>)[STATEMENT_OBSERVER];
  if (typeof observer === "function") observer(sql);
}

function checkedPrepare(target: Preparer, sql: string): D1PreparedStatement {
  checkSql(sql);
  observe(sql);
  return new CheckedStatement(target.prepare(sql), sql) as unknown as D1PreparedStatement;
}

class CheckedSession {
  constructor(private readonly inner: D1DatabaseSession) {}
  prepare(sql: string) {
    return checkedPrepare(this.inner, sql);
  }
  batch<T>(statements: D1PreparedStatement[]) {
    return this.inner.batch<T>(unwrap(statements));
  }
  getBookmark() {
    return this.inner.getBookmark();
  }
}

class CheckedDatabase {
  constructor(readonly inner: D1Database) {}
  prepare(sql: string) {
    return checkedPrepare(this.inner, sql);
  }
  batch<T>(statements: D1PreparedStatement[]) {
    return this.inner.batch<T>(unwrap(statements));
  }
  exec(sql: string) {
    checkSql(sql);
    return this.inner.exec(sql);
  }
  withSession(constraintOrBookmark?: string) {
    return new CheckedSession(this.inner.withSession(constraintOrBookmark)) as unknown as D1DatabaseSession;
  }
  dump() {
    return (this.inner as unknown as { dump(): Promise<ArrayBuffer> }).dump();
  }
}

/** The checking wrapper of a binding: one per binding, and a wrapper is never wrapped twice. */
export const checkedD1 = onePer((d1: D1Database): D1Database => (d1 instanceof CheckedDatabase ? d1 : (new CheckedDatabase(d1) as unknown as D1Database)));

/** Whether this environment runs locally and must therefore check production's limits itself. */
function checksLimits(env: Pick<KuraEnv, "KURA_ENV">): boolean {
  return env.KURA_ENV === "test" || env.KURA_ENV === "development";
}

/** `d1` as code in this environment must use it: checked in test and development, bare in production. */
export function d1For(env: Pick<KuraEnv, "KURA_ENV">, d1: D1Database): D1Database {
  return checksLimits(env) ? checkedD1(d1) : d1;
}

export function isD1(value: unknown): value is D1Database {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as D1Database).prepare === "function" &&
    typeof (value as D1Database).batch === "function" &&
    // A service binding (e.g. STATIC) is an RPC stub on which every property
    // looks like a function; a D1 database has no fetch.
    typeof (value as { fetch?: unknown }).fetch !== "function"
  );
}

/**
 * The env the Worker hands to its handlers: every D1 binding (CONTROL_DB and
 * each shard, whatever its name) is checked in test and development. One
 * view per env object, so drizzle instances memoised per binding stay shared.
 */
const checkedEnv = onePer(
  (env: KuraEnv): KuraEnv =>
    new Proxy(env, {
      get(target, property) {
        // Read on the env itself, not through the proxy: bindings such as the
        // STATIC Fetcher only work when taken from their own object.
        const value = Reflect.get(target, property) as unknown;
        return isD1(value) ? checkedD1(value) : value;
      },
    }),
);

export function envWithD1Limits(env: KuraEnv): KuraEnv {
  return checksLimits(env) ? checkedEnv(env) : env;
}
