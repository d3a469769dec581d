import { useEffect, useState } from "react";
import { useT } from "~/i18n/use-t";

/**
 * Copies `text` to the clipboard. Before the page is interactive (or where the clipboard is
 * refused) the button selects the text in `selectId` instead, so it can be copied by hand.
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
    const input = document.getElementById(selectId);
    if (input instanceof HTMLInputElement) input.select();
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
