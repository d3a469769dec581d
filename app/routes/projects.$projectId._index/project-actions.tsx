import { Link } from "@remix-run/react";
import type { MessageKey } from "~/i18n/messages";
import { useLocale, useT } from "~/i18n/use-t";
import { capabilityLabel } from "~/i18n/labels";
import { CAPABILITIES, type Capability } from "~/policy/capabilities";

/** What each capability lets the user do here; shown only when held. */
const ACTIONS: { cap: Capability; key: MessageKey; kind: "link" | "selection" | "soon"; href?: string }[] = [
  { cap: "asset.upload", key: "project.action.upload", kind: "link", href: "#upload" },
  { cap: "search.use", key: "project.action.search", kind: "link", href: "#search-q" },
  { cap: "asset.download_original", key: "project.action.downloadOriginal", kind: "selection" },
  { cap: "asset.edit_metadata", key: "project.action.editMetadata", kind: "selection" },
  { cap: "asset.delete", key: "project.action.delete", kind: "selection" },
  { cap: "asset.download_proxy", key: "project.action.downloadProxy", kind: "soon" },
  { cap: "marker.edit", key: "project.action.markers", kind: "soon" },
  { cap: "collection.manage", key: "project.action.collections", kind: "soon" },
];

/** Every capability, held or not, in the user's language. */
export function Capabilities({ held }: { held: Set<string> }) {
  const t = useT();
  const locale = useLocale();
  return (
    <ul className="caps-list" data-testid="capabilities">
      {CAPABILITIES.map((c) => (
        <li key={c} data-capability={c} data-held={held.has(c) ? "yes" : "no"} className={held.has(c) ? "held" : "not-held"}>
          <span aria-hidden="true">{held.has(c) ? "✓" : "—"}</span> {capabilityLabel(c, locale)} <code>{c}</code>
          <span className="visually-hidden">{held.has(c) ? t("project.held") : t("project.notHeld")}</span>
        </li>
      ))}
    </ul>
  );
}

/** What the user can do here, as links and chips. */
export function ProjectActions({ held, projectId }: { held: Set<string>; projectId: string }) {
  const t = useT();
  const soon = ACTIONS.filter((a) => a.kind === "soon" && held.has(a.cap));
  return (
    <div className="toolbar project-actions" data-testid="project-actions" aria-label={t("browse.otherActions")} role="group">
      {held.has("project.manage_members") ? (
        <Link className="button-link" to={`/projects/${encodeURIComponent(projectId)}/members`} data-testid="cap-project.manage_members">
          {t("project.manageMembers")}
        </Link>
      ) : null}
      {held.has("share.create") ? (
        <Link className="button-link" to={`/projects/${encodeURIComponent(projectId)}/shares`} data-testid="cap-share.create">
          {t("shares.title")}
        </Link>
      ) : null}
      {ACTIONS.filter((a) => held.has(a.cap) && a.kind === "link").map((a) => (
        <a
          key={a.cap}
          className="button-link"
          href={a.href}
          data-testid={`cap-${a.cap}`}
          onClick={() => {
            const target = a.href ? document.querySelector(a.href) : null;
            if (target instanceof HTMLDetailsElement) target.open = true;
            if (target instanceof HTMLInputElement) target.focus();
          }}
        >
          {t(a.key)}
        </a>
      ))}
      {ACTIONS.filter((a) => held.has(a.cap) && a.kind === "selection").map((a) => (
        <span key={a.cap} className="cap-chip" data-testid={`cap-${a.cap}`} title={t("browse.selectionActions")}>
          {t(a.key)}
        </span>
      ))}
      {soon.map((a) => (
        <button type="button" key={a.cap} data-testid={`cap-${a.cap}`} disabled title={t("project.comingSoon")}>
          {t(a.key)}
        </button>
      ))}
    </div>
  );
}
