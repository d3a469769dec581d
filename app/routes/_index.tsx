import { Link } from "@remix-run/react";
import { useT } from "~/i18n/use-t";
import { allow } from "~/policy/access";

export const access = allow.anonymous("Landing page without data.");

export default function Home() {
  const t = useT();
  return (
    <section className="card">
      <h1>{t("home.title")}</h1>
      <p>{t("home.lead")}</p>
      <p>
        <Link to="/status">{t("home.statusLink")}</Link>
      </p>
    </section>
  );
}
