import { useEffect, useState } from "react";
import { useT } from "~/i18n/use-t";

/**
 * Copies `text` to the clipboard, and selects it where it is shown (`selectId`), so that where the
 * clipboard is refused it can still be copied by hand.
 */
export function CopyButton({ text, selectId, testId }: { text: string; selectId: string; testId?: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  const select = () => {
    const shown = document.getElementById(selectId);
    if (shown) window.getSelection()?.selectAllChildren(shown);
  };
  return (
    <button
      type="button"
      data-testid={testId}
      onClick={() => {
        select();
        navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => undefined,
        );
      }}
    >
      <span aria-live="polite">{copied ? t("share.copied") : t("share.copy")}</span>
    </button>
  );
}
