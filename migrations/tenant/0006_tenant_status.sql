-- The tenant's contract state, mirrored from the control plane next to its credentials, so the
-- credential check reads it in the same statement (ADR 0015). Existing tenants start active; the
-- scheduled reconciliation copies any other state from the control plane (reconcileTenantStatus).
ALTER TABLE `tenant_settings` ADD `status` text DEFAULT 'active' NOT NULL;