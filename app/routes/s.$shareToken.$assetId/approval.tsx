import { useState } from "react";
import { guestApi } from "~/components/guest/urls";
import { useT } from "~/i18n/use-t";
import { MARKER_LIMITS } from "~/schemas/review";

type Verdict = { status: "approved" | "needs_changes"; note: string | null };

/** The guest's verdict on this file (approved / needs changes), sent to the guest API's mirror and seen by the team. */
export function GuestApproval({ token, assetId, initial }: { token: string; assetId: string; initial: Verdict | null }) {
  const t = useT();
  const [verdict, setVerdict] = useState<Verdict | null>(initial);
  const [note, setNote] = useState(initial?.note ?? "");
  const [state, setState] = useState<"idle" | "busy" | "saved" | string>("idle");
  const send = async (status: Verdict["status"]) => {
    setState("busy");
    const res = await fetch(guestApi.approval(token, assetId), {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(note.trim() ? { status, note: note.trim() } : { status }),
    });
    const body = (await res.json().catch(() => null)) as (Verdict & { error?: { message?: string } }) | null;
    if (!res.ok || !body) return setState(body?.error?.message ?? `HTTP ${res.status}`);
    setVerdict({ status: body.status, note: body.note });
    setState("saved");
  };
  return (
    <section className="card guest-approval" aria-labelledby="guest-approval-title" data-testid="guest-approval" data-status={verdict?.status ?? ""}>
      <h2 id="guest-approval-title">{t("guest.approval")}</h2>
      {verdict ? <p data-testid="guest-approval-state">{t(`guest.approval.${verdict.status}`)}</p> : null}
      <label htmlFor="guest-approval-note">{t("guest.approvalNote")}</label>
      <textarea
        id="guest-approval-note"
        rows={2}
        maxLength={MARKER_LIMITS.textLength}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        data-testid="guest-approval-note"
      />
      <div className="button-row">
        <button type="button" className="primary" disabled={state === "busy"} onClick={() => void send("approved")} data-testid="guest-approve">
          {t("guest.approve")}
        </button>
        <button type="button" disabled={state === "busy"} onClick={() => void send("needs_changes")} data-testid="guest-needs-changes">
          {t("guest.needsChanges")}
        </button>
      </div>
      {state === "saved" ? (
        <p className="alert alert-ok" role="status">
          {t("guest.approvalSaved")}
        </p>
      ) : state !== "idle" && state !== "busy" ? (
        <p className="alert alert-error" role="alert">
          {state}
        </p>
      ) : null}
    </section>
  );
}
