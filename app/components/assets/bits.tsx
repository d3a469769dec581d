import { useEffect, useRef, useState } from "react";
import { useT } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n/messages";
import { webApi } from "./urls";

export type Kind = "video" | "audio" | "image" | "other";

/** A placeholder drawn by kind (no image request), for assets without a thumbnail. */
export function KindIcon({ kind, className }: { kind: Kind; className?: string }) {
  const common = { viewBox: "0 0 48 48", className: `kind-icon ${className ?? ""}`, "aria-hidden": true, focusable: false } as const;
  switch (kind) {
    case "video":
      return (
        <svg {...common}>
          <rect x="5" y="11" width="28" height="26" rx="3" fill="none" stroke="currentColor" strokeWidth="3" />
          <path d="M33 20 L43 14 V34 L33 28 Z" fill="currentColor" />
        </svg>
      );
    case "audio":
      return (
        <svg {...common}>
          <path d="M6 24h4M12 16v16M18 10v28M24 18v12M30 8v32M36 14v20M42 22v4" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
        </svg>
      );
    case "image":
      return (
        <svg {...common}>
          <rect x="5" y="9" width="38" height="30" rx="3" fill="none" stroke="currentColor" strokeWidth="3" />
          <circle cx="16" cy="19" r="4" fill="currentColor" />
          <path d="M8 36 L20 25 L27 31 L33 25 L41 33" fill="none" stroke="currentColor" strokeWidth="3" strokeLinejoin="round" />
        </svg>
      );
    default:
      return (
        <svg {...common}>
          <path d="M12 5h17l9 9v29H12z" fill="none" stroke="currentColor" strokeWidth="3" strokeLinejoin="round" />
          <path d="M29 5v9h9" fill="none" stroke="currentColor" strokeWidth="3" strokeLinejoin="round" />
        </svg>
      );
  }
}

/**
 * The thumbnail, or the kind's icon when there is none or it fails to load
 * (also a failure that happened before hydration).
 */
export function Thumb({
  id,
  kind,
  hasThumbnail,
  className,
  src,
}: {
  id: string;
  kind: Kind;
  hasThumbnail: boolean;
  className?: string;
  /** Where the image is (a share guest's path); the team's thumbnail by default. */
  src?: string;
}) {
  const [failed, setFailed] = useState(false);
  const ref = useRef<HTMLImageElement>(null);
  useEffect(() => {
    const img = ref.current;
    if (img && img.complete && img.naturalWidth === 0) setFailed(true);
  }, []);
  if (!hasThumbnail || failed) {
    return (
      <span className={`thumb thumb-placeholder ${className ?? ""}`} data-kind={kind}>
        <KindIcon kind={kind} />
      </span>
    );
  }
  return (
    <span className={`thumb ${className ?? ""}`}>
      <img ref={ref} src={src ?? webApi.thumbnail(id)} alt="" loading="lazy" decoding="async" draggable={false} onError={() => setFailed(true)} />
    </span>
  );
}

export function StatusBadge({ status }: { status: "processing" | "ready" | "failed" }) {
  const t = useT();
  if (status === "ready") return null;
  return (
    <span className="status-badge" data-status={status}>
      {t(`browse.status.${status}` as MessageKey)}
    </span>
  );
}

export function ColorDot({ color }: { color: string | null }) {
  const t = useT();
  if (!color) return null;
  return <span className="color-dot" data-color={color} role="img" aria-label={`${t("browse.color")}: ${t(`browse.color.${color}` as MessageKey)}`} />;
}
