import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { Link } from "@remix-run/react";
import { optionalPrincipal } from "~/.server/ui/session.server";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";

export const access = allow.anonymous("Landing page without data; signed-in users go on to their projects.");

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await optionalPrincipal(request, context)) throw redirect("/projects");
  return null;
}

export default function Home() {
  const t = useT();
  return (
    <section className="card">
      <h1>{t("home.title")}</h1>
      <p>{t("home.lead")}</p>
      <p>
        <Link to="/login" className="button-link primary" data-testid="home-login">
          {t("home.signIn")}
        </Link>
      </p>
      <p>
        <Link to="/status">{t("home.statusLink")}</Link>
      </p>
    </section>
  );
}
