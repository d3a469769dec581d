import { useState } from "react";
import { DateTime } from "~/components/date-time";
import { useT } from "~/i18n/use-t";
import { MARKER_COLORS, MARKER_LIMITS, SHAPE_TYPES, type Marker } from "~/schemas/review";
import { MARKER_HEX } from "./shape-layer";
import type { ReviewSession } from "./use-review";

/** What the player tells the panel, and how the panel moves the player. */
export type PlayerBridge = {
  frame: number;
  marks: { in: number | null; out: number | null };
  paused: boolean;
  seek: (frame: number) => void;
  timecodeOf: (frame: number) => string;
};

export type ReviewRights = { edit: boolean; moderate: boolean; userId: string };

function Swatch({ color }: { color: string }) {
  return (
    <svg className="marker-swatch" viewBox="0 0 10 10" aria-hidden="true">
      <circle cx="5" cy="5" r="5" fill={MARKER_HEX[color] ?? MARKER_HEX.yellow} />
    </svg>
  );
}

/** The form that adds a marker at the shown frame (or In to Out), with what is drawn on the frame. */
function AddMarker({ session, player, drawing }: { session: ReviewSession; player: PlayerBridge; drawing: boolean }) {
  const t = useT();
  const [text, setText] = useState("");
  const { color, setColor } = session;
  const { marks } = player;
  const hasRange = marks.in !== null && marks.out !== null && marks.out >= marks.in;
  const [useRange, setUseRange] = useState(true);
  const ranged = hasRange && useRange;
  const start = ranged ? marks.in! : player.frame;
  return (
    <form
      className="marker-form"
      data-testid="marker-form"
      onSubmit={(event) => {
        event.preventDefault();
        void session.create({ startFrame: start, endFrame: ranged ? marks.out! : null, text }).then((ok) => ok && setText(""));
      }}
    >
      <label className="visually-hidden" htmlFor="marker-text">
        {t("review.text")}
      </label>
      <textarea
        id="marker-text"
        value={text}
        maxLength={MARKER_LIMITS.textLength}
        rows={2}
        placeholder={t("review.textPlaceholder")}
        onChange={(e) => setText(e.target.value)}
        data-testid="marker-text"
        required
      />
      <fieldset className="marker-colors">
        <legend className="visually-hidden">{t("review.color")}</legend>
        {MARKER_COLORS.map((c) => (
          <label key={c} title={t(`review.color.${c}`)}>
            <input type="radio" name="marker-color" value={c} checked={color === c} onChange={() => setColor(c)} data-testid={`marker-color-${c}`} />
            <Swatch color={c} />
            <span className="visually-hidden">{t(`review.color.${c}`)}</span>
          </label>
        ))}
      </fieldset>
      {hasRange ? (
        <label className="small">
          <input type="checkbox" checked={useRange} onChange={(e) => setUseRange(e.target.checked)} data-testid="marker-use-range" />{" "}
          {t("review.useRange", { start: player.timecodeOf(marks.in!), end: player.timecodeOf(marks.out!) })}
        </label>
      ) : null}
      {drawing ? (
        <div className="marker-tools" role="group" aria-label={t("review.draw")}>
          {SHAPE_TYPES.map((tool) => (
            <button
              key={tool}
              type="button"
              aria-pressed={session.tool === tool}
              disabled={!player.paused}
              onClick={() => session.setTool(session.tool === tool ? null : tool)}
              data-testid={`marker-tool-${tool}`}
            >
              {t(`review.tool.${tool}`)}
            </button>
          ))}
          {session.draft.length > 0 ? (
            <button type="button" onClick={session.clearDraft} data-testid="marker-clear-drawing">
              {t("review.clearDrawing")} ({t("review.shapes", { count: session.draft.length })})
            </button>
          ) : null}
        </div>
      ) : null}
      {drawing && !player.paused ? <p className="muted small">{t("review.pauseToDraw")}</p> : null}
      <button type="submit" className="primary" disabled={session.busy || text.trim() === ""} data-testid="marker-add">
        {session.busy ? t("review.adding") : t("review.addAt", { timecode: player.timecodeOf(start) })}
      </button>
    </form>
  );
}

function MarkerItem({ marker, session, player, rights }: { marker: Marker; session: ReviewSession; player: PlayerBridge; rights: ReviewRights }) {
  const t = useT();
  const [reply, setReply] = useState("");
  const mine = marker.author.type === "user" && marker.author.id === rights.userId;
  const here = player.frame >= marker.startFrame && player.frame <= (marker.endFrame ?? marker.startFrame);
  return (
    <li className={`marker-item${marker.resolved ? " resolved" : ""}${here ? " current" : ""}`} data-testid="marker-item" data-marker-id={marker.id}>
      <button
        type="button"
        className="marker-seek"
        onClick={() => player.seek(marker.startFrame)}
        title={t("review.goTo", { timecode: marker.startTimecode })}
        data-testid="marker-seek"
      >
        <Swatch color={marker.color} />
        <span className="timecode">{marker.startTimecode}</span>
        {marker.endTimecode ? <span className="timecode">– {marker.endTimecode}</span> : null}
        {marker.shapes ? <span className="muted small">{t("review.shapes", { count: marker.shapes.items.length })}</span> : null}
      </button>
      <p className="marker-text" data-testid="marker-item-text">
        {marker.text}
      </p>
      <p className="muted small">
        {marker.author.name}
        {marker.author.type === "guest" ? <span className="guest-badge"> {t("review.guestAuthor")}</span> : null} · <DateTime value={marker.createdAt} />
        {marker.resolved ? ` · ${t("review.resolved")}` : ""}
      </p>
      {marker.replies.length > 0 ? (
        <ul className="marker-replies">
          {marker.replies.map((r) => (
            <li key={r.id} data-testid="marker-reply">
              <span className="marker-text">{r.text}</span>{" "}
              <span className="muted small">
                — {r.author.name}
                {r.author.type === "guest" ? <span className="guest-badge"> {t("review.guestAuthor")}</span> : null} · <DateTime value={r.createdAt} />
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {rights.edit ? (
        <div className="marker-item-actions">
          <form
            className="marker-reply-form"
            onSubmit={(event) => {
              event.preventDefault();
              void session.reply(marker.id, reply).then((ok) => ok && setReply(""));
            }}
          >
            <input
              value={reply}
              maxLength={MARKER_LIMITS.textLength}
              placeholder={t("review.replyPlaceholder")}
              aria-label={t("review.reply")}
              onChange={(e) => setReply(e.target.value)}
              data-testid="marker-reply-text"
            />
            <button type="submit" disabled={session.busy || reply.trim() === ""}>
              {t("review.send")}
            </button>
          </form>
          {session.urls.one ? (
            <button type="button" onClick={() => void session.update(marker.id, { resolved: !marker.resolved })} data-testid="marker-resolve">
              {marker.resolved ? t("review.reopen") : t("review.resolve")}
            </button>
          ) : null}
          {session.urls.one && (mine || rights.moderate) ? (
            <button
              type="button"
              className="danger"
              onClick={() => window.confirm(t("review.deleteConfirm")) && void session.remove(marker.id)}
              data-testid="marker-delete"
            >
              {t("review.delete")}
            </button>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

/** The marker list beside the player: click to go to the frame; add, reply, resolve, delete; export. */
export function MarkerPanel({
  session,
  player,
  rights,
  drawing = true,
}: {
  session: ReviewSession;
  player: PlayerBridge;
  rights: ReviewRights;
  /** Shapes over the picture (not on audio). */
  drawing?: boolean;
}) {
  const t = useT();
  const [showResolved, setShowResolved] = useState(true);
  const shown = session.markers.filter((m) => showResolved || !m.resolved);
  return (
    <section className="marker-panel" aria-label={t("review.markers")} data-testid="marker-panel">
      <header className="marker-panel-head">
        <h2>
          {t("review.markers")} <span className="muted small">({session.markers.length})</span>
        </h2>
        <label className="small">
          <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} /> {t("review.showResolved")}
        </label>
        {session.urls.export ? (
          <span className="small">
            {t("review.export")}:{" "}
            <a href={session.urls.export("csv")} download data-testid="marker-export-csv">
              {t("review.exportCsv")}
            </a>{" "}
            ·{" "}
            <a href={session.urls.export("edl")} download data-testid="marker-export-edl">
              {t("review.exportEdl")}
            </a>
          </span>
        ) : null}
      </header>
      {session.error ? (
        <p className="alert alert-error" role="alert" data-testid="marker-error">
          {t("review.failed", { message: session.error })}
        </p>
      ) : null}
      {rights.edit ? <AddMarker session={session} player={player} drawing={drawing} /> : <p className="muted small">{t("review.readOnly")}</p>}
      {shown.length === 0 ? (
        <p className="muted">{rights.edit ? t("review.noneCanAdd") : t("review.none")}</p>
      ) : (
        <ol className="marker-list">
          {shown.map((m) => (
            <MarkerItem key={m.id} marker={m} session={session} player={player} rights={rights} />
          ))}
        </ol>
      )}
    </section>
  );
}
