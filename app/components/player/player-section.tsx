import type { ReactNode } from "react";
import { useT } from "~/i18n/use-t";

/** The player's landmark on the team's asset page and the guest's: whatever plays, and what goes under it. */
export function PlayerSection({ children }: { children: ReactNode }) {
  const t = useT();
  return (
    <section aria-label={t("asset.player")} data-testid="player">
      {children}
    </section>
  );
}
