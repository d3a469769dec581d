import { Form } from "@remix-run/react";
import { Field, FormAlert, failureOf, useBusy, useFormResult } from "~/components/forms";
import { useT } from "~/i18n/use-t";

type Gate =
  | { stage: "open"; tenant: { name: string }; needs: { password: boolean; email: boolean }; verifies: boolean }
  | { stage: "code"; tenant: { name: string }; sentTo: string | null };

/** The share's gate: the password and (an anonymous link that verifies) the address, then the e-mailed code. */
export function ShareGate({ data }: { data: Gate }) {
  const t = useT();
  const open = failureOf(useFormResult("open"));
  const verify = failureOf(useFormResult("verify"));
  const busy = useBusy();
  return (
    <section className="card guest-gate" aria-labelledby="guest-gate-title" data-testid="guest-gate" data-stage={data.stage}>
      <p className="muted" data-testid="guest-tenant">
        {t("guest.sharedBy", { tenant: data.tenant.name })}
      </p>
      {data.stage === "open" ? (
        <>
          <h1 id="guest-gate-title">{t("guest.openTitle")}</h1>
          <p>{t("guest.openIntro", { tenant: data.tenant.name })}</p>
          {data.verifies ? <p className="muted">{t("guest.verifyNotice")}</p> : null}
          <Form method="post" className="stack" data-testid="guest-open-form">
            <input type="hidden" name="intent" value="open" />
            <FormAlert failure={open} />
            {data.needs.email ? (
              <Field
                label={t("guest.email")}
                name="email"
                type="email"
                autoComplete="email"
                required
                hint={t("guest.emailHint")}
                failure={open}
                maxLength={254}
              />
            ) : null}
            {data.needs.password ? (
              <Field
                label={t("guest.password")}
                name="password"
                type="password"
                autoComplete="current-password"
                required
                hint={t("guest.passwordHint")}
                failure={open}
                keep={false}
                maxLength={256}
              />
            ) : null}
            <button type="submit" className="primary" disabled={busy} data-testid="guest-open">
              {busy ? t("guest.opening") : t("guest.open")}
            </button>
          </Form>
        </>
      ) : (
        <>
          <h1 id="guest-gate-title">{t("guest.codeTitle")}</h1>
          <p data-testid="guest-code-sent">{data.sentTo ? t("guest.codeSent", { email: data.sentTo }) : t("guest.codeSentAnon")}</p>
          <Form method="post" className="stack" data-testid="guest-code-form">
            <input type="hidden" name="intent" value="verify" />
            <FormAlert failure={verify} />
            <Field
              label={t("guest.code")}
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              required
              failure={verify}
              keep={false}
            />
            <button type="submit" className="primary" disabled={busy} data-testid="guest-verify">
              {t("guest.verify")}
            </button>
          </Form>
          <Form method="post" className="muted small">
            <input type="hidden" name="intent" value="leave" />
            {t("guest.newCode")}{" "}
            <button type="submit" className="link-button" data-testid="guest-start-again">
              {t("guest.startAgain")}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
