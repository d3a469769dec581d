import { useState, type RefObject } from "react";
import { useT } from "~/i18n/use-t";

/** "Go to timecode": a typed timecode becomes a frame (or an error that says which format the clip counts in). */
export function GoToTimecode(props: {
  inputRef: RefObject<HTMLInputElement>;
  format: string;
  resolve: (text: string) => number | "bad" | "beyond";
  onGo: (frame: number) => void;
  lastTimecode: string;
}) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="goto-timecode"
      data-testid="goto-timecode"
      onSubmit={(e) => {
        e.preventDefault();
        const text = new FormData(e.currentTarget).get("timecode")?.toString() ?? "";
        const frame = props.resolve(text);
        if (frame === "bad") setError(t("player.badTimecode", { format: props.format }));
        else if (frame === "beyond") setError(t("player.beyondEnd", { last: props.lastTimecode }));
        else {
          setError(null);
          props.onGo(frame);
          props.inputRef.current?.blur();
        }
      }}
    >
      <label htmlFor="player-goto">{t("player.goTo")}</label>
      <input
        ref={props.inputRef}
        id="player-goto"
        name="timecode"
        className="timecode"
        inputMode="numeric"
        autoComplete="off"
        placeholder={props.format}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "player-goto-error" : undefined}
        onKeyDown={(e) => {
          if (e.key === "Escape") e.currentTarget.blur();
        }}
      />
      <button type="submit">{t("player.goToButton")}</button>
      {error ? (
        <p id="player-goto-error" className="field-error" role="alert" data-testid="goto-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}
