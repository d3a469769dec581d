import { DateTime } from "~/components/date-time";
import { useT } from "~/i18n/use-t";

type Verdict = {
  shareId: string;
  guest: { linkId: string; email: string | null; name: string };
  status: "approved" | "needs_changes";
  note: string | null;
  updatedAt: string;
};

/** What share guests said of this file (issue #14): one verdict per guest, newest first. */
export function GuestVerdicts({ approvals }: { approvals: Verdict[] }) {
  const t = useT();
  if (approvals.length === 0) return null;
  return (
    <section className="card guest-verdicts" aria-labelledby="guest-verdicts-title" data-testid="guest-verdicts">
      <h2 id="guest-verdicts-title">{t("review.verdicts")}</h2>
      <ul>
        {approvals.map((a) => (
          <li key={`${a.shareId}:${a.guest.linkId}:${a.guest.email ?? ""}`} data-testid="guest-verdict" data-status={a.status}>
            <strong className={a.status === "approved" ? "verdict-approved" : "verdict-changes"}>{t(`review.verdict.${a.status}`)}</strong> — {a.guest.name}
            {a.note ? <span className="verdict-note">: {a.note}</span> : null}{" "}
            <span className="muted small">
              · <DateTime value={a.updatedAt} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
