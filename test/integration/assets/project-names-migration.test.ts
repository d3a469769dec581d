import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";

/**
 * Migration 0009 makes project names unique per tenant. Deployed tenants may
 * already hold duplicates: the migration must not fail on them, and renames
 * every project after the first of its name deterministically.
 */
describe("migration 0009: unique project names", () => {
  it("renames later duplicates '<name> (<id>)' (oldest keeps the name), then the index refuses new ones", async () => {
    const db = env.TENANT_DB_S1;
    const migration = env.TEST_TENANT_MIGRATIONS.find((m) => m.name.startsWith("0009_"));
    expect(migration, "migration 0009").toBeDefined();
    // The database as it was before 0009, holding duplicates.
    await db.prepare("DROP INDEX `projects_tenant_name_unique`").run();
    await db.prepare("CREATE INDEX `projects_tenant_idx` ON `projects` (`tenant_id`,`name`)").run();
    const long = "長".repeat(200);
    const rows: [string, string, string, string][] = [
      ["prj_aaaaaaaaaaaaaaaaaaaaaaaaab", "tnt_one", "渋谷ロケ", "2026-01-02T00:00:00.000Z"],
      ["prj_aaaaaaaaaaaaaaaaaaaaaaaaaa", "tnt_one", "渋谷ロケ", "2026-01-02T00:00:00.000Z"],
      ["prj_aaaaaaaaaaaaaaaaaaaaaaaaac", "tnt_one", "渋谷ロケ", "2026-01-01T00:00:00.000Z"],
      ["prj_aaaaaaaaaaaaaaaaaaaaaaaaad", "tnt_two", "渋谷ロケ", "2026-01-03T00:00:00.000Z"],
      ["prj_aaaaaaaaaaaaaaaaaaaaaaaaae", "tnt_one", long, "2026-01-01T00:00:00.000Z"],
      ["prj_aaaaaaaaaaaaaaaaaaaaaaaaaf", "tnt_one", long, "2026-01-05T00:00:00.000Z"],
    ];
    await db.batch(rows.map((r) => db.prepare("INSERT INTO projects (id, tenant_id, name, created_at) VALUES (?, ?, ?, ?)").bind(...r)));

    for (const query of migration!.queries) await db.prepare(query).run();

    const names = Object.fromEntries(
      (await db.prepare("SELECT id, name FROM projects WHERE id LIKE 'prj_aaaa%'").all<{ id: string; name: string }>()).results.map((r) => [r.id, r.name]),
    );
    expect(names).toEqual({
      // The oldest keeps its name; on equal times the smaller id does.
      prj_aaaaaaaaaaaaaaaaaaaaaaaaac: "渋谷ロケ",
      prj_aaaaaaaaaaaaaaaaaaaaaaaaaa: "渋谷ロケ (prj_aaaaaaaaaaaaaaaaaaaaaaaaaa)",
      prj_aaaaaaaaaaaaaaaaaaaaaaaaab: "渋谷ロケ (prj_aaaaaaaaaaaaaaaaaaaaaaaaab)",
      // Another tenant's project of the same name is not a duplicate.
      prj_aaaaaaaaaaaaaaaaaaaaaaaaad: "渋谷ロケ",
      prj_aaaaaaaaaaaaaaaaaaaaaaaaae: long,
      prj_aaaaaaaaaaaaaaaaaaaaaaaaaf: `${"長".repeat(167)} (prj_aaaaaaaaaaaaaaaaaaaaaaaaaf)`,
    });
    expect([...names.prj_aaaaaaaaaaaaaaaaaaaaaaaaaf!]).toHaveLength(200);
    await expect(db.prepare("INSERT INTO projects (id, tenant_id, name) VALUES ('prj_x', 'tnt_one', '渋谷ロケ')").run()).rejects.toThrow(/UNIQUE/);
  });
});
