import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { fail } from "~/.server/http/errors.server";
import { isLocalDevelopment } from "~/.server/http/transport.server";
import { listOutbox } from "~/.server/mail/outbox.server";
import { allow } from "~/policy/access";

/**
 * The development mailbox: what the app would have e-mailed (setup and reset
 * links), read from the outbox. It exists only in local development on
 * loopback; everywhere else it is a plain 404.
 */
export const access = allow.anonymous("Local development only (KURA_ENV=development on loopback); 404 elsewhere.");

export const meta: MetaFunction = () => [{ title: "Kura — Dev mailbox / 開発用メールボックス" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!isLocalDevelopment(new URL(request.url), context.config.environment)) fail("not_found", "Not found.");
  const to = new URL(request.url).searchParams.get("to")?.trim().toLowerCase() || undefined;
  return { to: to ?? "", mails: await listOutbox(context.env, { to, limit: 100 }) };
}

/** Makes the links in a mail clickable without rendering any of it as HTML. */
function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s]+)/g);
  return (
    <pre className="mail-text">
      {parts.map((part, i) =>
        /^https?:\/\//.test(part) ? (
          <a key={i} href={part}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </pre>
  );
}

export default function DevMailbox() {
  const { to, mails } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>開発用メールボックス / Development mailbox</h1>
      <p className="muted">
        ローカル開発でのみ表示されます。本番ではメールはプロバイダーから送信されます。 / Shown only in local development; in production mail goes out through
        the provider.
      </p>
      <form method="get" className="inline-form">
        <label>
          宛先 / To <input type="email" name="to" defaultValue={to} />
        </label>
        <button type="submit">絞り込む / Filter</button>
      </form>
      {mails.length === 0 ? (
        <p>メールはありません。 / No mail.</p>
      ) : (
        mails.map((m, i) => (
          <article className="card" key={`${m.createdAt}-${i}`} data-testid="mail">
            <h2>{m.subject}</h2>
            <p className="muted">
              {m.to} · <time dateTime={m.createdAt}>{m.createdAt}</time>
            </p>
            <Linkified text={m.text} />
          </article>
        ))
      )}
    </>
  );
}
