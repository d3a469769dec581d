/**
 * The notifications list: every operator announcement addressed to the user's tenant (or to all)
 * that has not ended, newest first. Its action hides one from the banner for this browser (the
 * list keeps showing it).
 */
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { parseFormData, readFormData } from "~/.server/http/validation.server";
import { RouteErrorBoundary } from "~/components/route-error";
import { NoticeArticle, useNotices } from "~/components/notices";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";
import { HIDDEN_NOTICES_COOKIE, HideNoticeFormSchema, hiddenNoticeIds, MAX_HIDDEN_NOTICES } from "~/schemas/forms/notices";

export const access = allow.tenantUser();

export const meta: MetaFunction = () => [{ title: "Kura — お知らせ / Notices" }];

export async function action({ request }: ActionFunctionArgs) {
  const parsed = parseFormData(await readFormData(request), HideNoticeFormSchema);
  if (!parsed.ok) return new Response("Unknown notice.", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const ids = [...hiddenNoticeIds(request.headers.get("Cookie")).filter((id) => id !== parsed.data.id), parsed.data.id].slice(-MAX_HIDDEN_NOTICES);
  const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
  return redirect(parsed.data.redirectTo, {
    headers: { "Set-Cookie": `${HIDDEN_NOTICES_COOKIE}=${ids.join(".")}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly${secure}` },
  });
}

export default function NoticesPage() {
  // The root loader already read them for this request (the banner's list); no second query.
  const { notices } = useNotices();
  const t = useT();
  return (
    <>
      <h1>{t("notices.title")}</h1>
      <section className="card" aria-labelledby="notices-list-heading">
        <h2 id="notices-list-heading" className="visually-hidden">
          {t("notices.title")}
        </h2>
        {notices.length === 0 ? (
          <p className="muted" data-testid="notices-empty">
            {t("notices.none")}
          </p>
        ) : (
          <ul className="notice-list" data-testid="notices-list">
            {notices.map((n) => (
              <li key={n.id}>
                <NoticeArticle notice={n} headingLevel={3} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
