import { useEffect, useRef } from "react";
import { useT } from "~/i18n/use-t";
import { KEYMAP } from "./keys";

/** The shortcut list, as a modal dialog (Esc or the button closes it). */
export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="player-help" aria-labelledby="player-help-title" onClose={onClose} data-testid="player-help">
      <h2 id="player-help-title">{t("player.shortcuts")}</h2>
      <table>
        <tbody>
          {KEYMAP.filter((k) => k.help).map((k) => (
            <tr key={k.action}>
              <td>
                {k.label.map((l) => (
                  <kbd key={l}>{l}</kbd>
                ))}
              </td>
              <td>{t(k.help!)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={onClose} autoFocus>
        {t("player.close")}
      </button>
    </dialog>
  );
}
