import { NavLink } from "@remix-run/react";
import { useT } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n/messages";

function SubNav({ label, items }: { label: string; items: [string, MessageKey][] }) {
  const t = useT();
  return (
    <nav aria-label={label} className="subnav">
      {items.map(([to, key]) => (
        <NavLink key={to} to={to} end>
          {t(key)}
        </NavLink>
      ))}
    </nav>
  );
}

export function AccountNav() {
  const t = useT();
  return (
    <SubNav
      label={t("nav.account")}
      items={[
        ["/account", "account.nav.profile"],
        ["/account/two-factor", "account.nav.twoFactor"],
        ["/account/tokens", "account.nav.tokens"],
      ]}
    />
  );
}

export function AdminNav() {
  const t = useT();
  return (
    <SubNav
      label={t("nav.admin")}
      items={[
        ["/admin", "admin.nav.dashboard"],
        ["/admin/users", "admin.nav.users"],
        ["/admin/groups", "admin.nav.groups"],
        ["/admin/roles", "admin.nav.roles"],
        ["/admin/projects", "admin.nav.projects"],
        ["/admin/security", "admin.nav.security"],
        ["/admin/shares", "admin.nav.shares"],
        ["/admin/audit", "admin.nav.audit"],
        ["/admin/metadata-fields", "admin.nav.fields"],
      ]}
    />
  );
}
