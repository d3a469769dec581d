import { useState } from "react";
import { formatBytes } from "~/components/assets/format";
import { guestApi } from "~/components/guest/urls";
import { useLocale, useT } from "~/i18n/use-t";

/** Largest file one request carries (the API's small upload). */
const MAX_BYTES = 95 * 1024 * 1024;

type Sent = { name: string; state: "sending" | "done" | string };

/** Files a guest sends into the share's folder (upload scopes), one request each, one after another. */
export function GuestUpload({ token }: { token: string }) {
  const t = useT();
  const locale = useLocale();
  const [sent, setSent] = useState<Sent[]>([]);
  const update = (i: number, state: Sent["state"]) => setSent((all) => all.map((s, j) => (j === i ? { ...s, state } : s)));
  const send = async (files: File[]) => {
    const start = sent.length;
    setSent((all) => [...all, ...files.map((f) => ({ name: f.name, state: "sending" }))]);
    for (const [k, file] of files.entries()) {
      if (file.size > MAX_BYTES) {
        update(start + k, t("guest.uploadTooLarge", { size: formatBytes(MAX_BYTES, locale) }));
        continue;
      }
      const form = new FormData();
      form.set("file", file);
      const res = await fetch(guestApi.uploads(token), { method: "POST", body: form });
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      update(start + k, res.ok ? "done" : (body?.error?.message ?? `HTTP ${res.status}`));
    }
  };
  return (
    <section className="card guest-upload" aria-labelledby="guest-upload-title" data-testid="guest-upload">
      <h2 id="guest-upload-title">{t("guest.upload")}</h2>
      <p className="muted small">{t("guest.uploadHint", { size: formatBytes(MAX_BYTES, locale) })}</p>
      <input
        type="file"
        multiple
        aria-labelledby="guest-upload-title"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = "";
          if (files.length > 0) void send(files);
        }}
        data-testid="guest-upload-input"
      />
      {sent.length > 0 ? (
        <ul className="guest-upload-list">
          {sent.map((s, i) => (
            <li key={i} data-testid="guest-upload-row" data-state={s.state === "done" || s.state === "sending" ? s.state : "failed"}>
              <span className="guest-card-name">{s.name}</span>{" "}
              <span className={s.state === "done" ? "verdict-approved" : s.state === "sending" ? "muted" : "field-error"}>
                {s.state === "done" ? t("guest.uploadDone") : s.state === "sending" ? t("guest.uploadSending") : s.state}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
