/**
 * Announcements from the operator console: info, maintenance or incident, to some tenants or to
 * all (then also on the public status page); shown in the app and e-mailed to the tenant admins.
 * The same domain call and schema as POST /api/v1/operator/announcements.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { createAnnouncement, listAnnouncements } from "~/.server/notices/announcements.server";
import { parseFormData, readFormData } from "~/.server/http/validation.server";
import { operatorPrincipal } from "~/.server/operator/console-principal.server";
import { recordOperatorAction } from "~/.server/operator/operator-audit.server";
import { attempt, validationFailure } from "~/.server/ui/forms.server";
import { NoticeArticle } from "~/components/notices";
import { Field, FormAlert, failureOf, Notice, useBusy } from "~/components/forms";
import { ConsoleNav } from "~/components/operator/console-nav";
import { RouteErrorBoundary } from "~/components/route-error";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { AnnouncementFormSchema } from "~/schemas/forms/operator";

export const access = allow.operatorConsole();

export const meta: MetaFunction = () => [{ title: "Kura — お知らせ配信 / Announcements" }, { name: "robots", content: "noindex" }];

export async function loader({ context }: LoaderFunctionArgs) {
  return { operator: operatorPrincipal(context), announcements: await listAnnouncements(context.env) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  operatorPrincipal(context);
  const formData = await readFormData(request);
  const parsed = parseFormData(formData, AnnouncementFormSchema);
  if (!parsed.ok) return validationFailure("announce", parsed.errors, formData);
  const result = await attempt("announce", formData, () => createAnnouncement(context, parsed.data));
  if (!result.ok) return result;
  await recordOperatorAction(context, {
    action: "announcement.created",
    targetType: "announcement",
    targetId: result.value.id,
    details: { severity: result.value.severity, tenants: result.value.tenantIds?.length ?? "all", emailed: result.value.emailed },
  });
  return { ok: true as const, form: "announce", emailed: result.value.emailed };
}

export default function OperatorAnnouncementsPage() {
  const { operator, announcements } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = failureOf(result);
  const t = useT();
  const busy = useBusy();
  return (
    <>
      <ConsoleNav email={operator.email} />
      <h1>{t("op.ann.title")}</h1>
      <section className="card" aria-labelledby="new-ann-heading">
        <h2 id="new-ann-heading">{t("op.ann.new")}</h2>
        {result?.ok ? <Notice testId="op-announced">{t("op.ann.posted", { count: String(result.emailed) })}</Notice> : null}
        <FormAlert failure={failure} />
        <Form method="post" className="stack" data-testid="op-announce-form">
          <div className="field">
            <label htmlFor="f-severity">{t("op.ann.severity")}</label>
            <select id="f-severity" name="severity" defaultValue={failure?.values.severity ?? "incident"}>
              {(["incident", "maintenance", "info"] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`status.severity.${s}` as MessageKey)}
                </option>
              ))}
            </select>
          </div>
          <Field label={t("op.ann.heading")} name="title" failure={failure} maxLength={200} required />
          <div className="field">
            <label htmlFor="f-body">{t("op.ann.body")}</label>
            <textarea id="f-body" name="body" rows={5} maxLength={5000} required defaultValue={failure?.values.body ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="f-tenantIds">{t("op.ann.tenants")}</label>
            <textarea id="f-tenantIds" name="tenantIds" rows={2} defaultValue={failure?.values.tenantIds ?? ""} />
          </div>
          <Field label={t("op.ann.endsAt")} name="endsAt" failure={failure} placeholder="2026-12-31T09:00:00Z" />
          <button type="submit" className="primary" disabled={busy}>
            {t("op.ann.submit")}
          </button>
        </Form>
      </section>
      <section className="card" aria-labelledby="ann-list-heading">
        <h2 id="ann-list-heading">{t("op.ann.title")}</h2>
        <ul className="notice-list" data-testid="op-announcements">
          {announcements.map((a) => (
            <li key={a.id}>
              <NoticeArticle notice={a} headingLevel={3} />
              <p className="muted small">
                {t("op.ann.audience")}: {a.tenantIds ? a.tenantIds.join(", ") : t("op.ann.everyone")}
              </p>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
