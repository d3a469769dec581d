import { Form, NavLink } from "@remix-run/react";
import { useT } from "~/i18n/use-t";

/** The console's own navigation: its pages, who is signed in, and signing out. */
export function ConsoleNav({ email }: { email: string }) {
  const t = useT();
  return (
    <nav aria-label={t("op.title")} className="console-nav" data-testid="console-nav">
      <strong>{t("op.title")}</strong>
      <NavLink to="/operator" end>
        {t("op.nav.tenants")}
      </NavLink>
      <NavLink to="/operator/announcements">{t("op.nav.announcements")}</NavLink>
      <NavLink to="/operator/outbox">{t("op.nav.outbox")}</NavLink>
      <NavLink to="/operator/certificates">{t("op.nav.certificates")}</NavLink>
      <NavLink to="/operator/operators">{t("op.nav.operators")}</NavLink>
      <NavLink to="/operator/audit">{t("op.nav.audit")}</NavLink>
      <span className="muted small">{t("op.signedInAs", { email })}</span>
      <Form method="post" action="/operator/logout" reloadDocument>
        <button type="submit" data-testid="console-sign-out">
          {t("op.nav.signOut")}
        </button>
      </Form>
    </nav>
  );
}
