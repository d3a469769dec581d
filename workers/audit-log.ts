import { DurableObject } from "cloudflare:workers";

/**
 * One instance per tenant (idFromName(tenantId)), SQLite storage backend.
 * Serialises that tenant's audit log; the log itself arrives with the audit
 * issue. For now it answers the status probe from its SQLite storage.
 */
export class AuditLog extends DurableObject {
  async ping(): Promise<{ ok: true }> {
    // Touches the SQLite engine so a broken storage backend fails the probe.
    this.ctx.storage.sql.exec("SELECT 1").one();
    return { ok: true };
  }
}
