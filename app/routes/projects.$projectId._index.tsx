/**
 * Project browse: folders (`?folder=<id>`; none = the top level), search and
 * filters in the URL (the API's parameter names, see BrowseParamsSchema),
 * saved searches, tag facets, and the virtualised grid/list of assets with a
 * multi-select toolbar. The first page comes from the loader; further pages
 * are fetched by the browser from /web/v1 with the keyset cursor.
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useLocation, useRevalidator, useSubmit } from "@remix-run/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { z } from "zod";
import { requireProjectPermission } from "~/.server/access/permissions.server";
import { bulkDeleteAssets, bulkUpdateAssets } from "~/.server/assets/bulk.server";
import { createFolder, deleteFolder, getFolder, listFolderPaths, listFolders, updateFolder } from "~/.server/assets/folders.server";
import { createSavedSearch, deleteSavedSearch, listSavedSearches } from "~/.server/assets/saved-searches.server";
import { listAssets, tagFacets } from "~/.server/assets/search.server";
import type { KuraContext } from "~/.server/context";
import { fail } from "~/.server/http/errors.server";
import { parseFormData, parseParams, parseQuery, readFormData } from "~/.server/http/validation.server";
import { listMetadataFields } from "~/.server/metadata/fields.server";
import { attempt, intentOf, failure as formFailure, toFormError, validationFailure } from "~/.server/ui/forms.server";
import { AssetBrowser, useSelection, type BrowserAsset, type View } from "~/components/assets/asset-browser";
import { pages, webApi } from "~/components/assets/urls";
import { FieldErrorText, FormAlert, failureOf, Notice, useFormResult, useUiText } from "~/components/forms";
import type { FormFailure, UiText } from "~/components/form-types";
import { RouteErrorBoundary } from "~/components/route-error";
import { UploadPanel } from "~/components/upload/upload-panel";
import { useLocale, useT } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n/messages";
import { allow } from "~/policy/access";
import assetsCss from "~/styles/assets.css?url";
import { CAPABILITIES, CAPABILITY_DESCRIPTIONS, type Capability } from "~/policy/capabilities";
import { ASSET_KINDS, ASSET_SORTS, COLOR_LABELS } from "~/schemas/assets";
import { SearchTextSchema } from "~/schemas/names";
import {
  browseSearch,
  BulkDeleteFormSchema,
  BulkLabelFormSchema,
  BulkMetadataFormSchema,
  BulkMoveFormSchema,
  BulkTagFormSchema,
  FolderCreateFormSchema,
  FolderDeleteFormSchema,
  FolderMoveFormSchema,
  FolderRenameFormSchema,
  hasFilters,
  listQuerySearch,
  paramsOfSaved,
  parseBrowseParams,
  savedQueryOf,
  SearchDeleteFormSchema,
  SearchSaveFormSchema,
  toListQuery,
  type BrowseParams,
} from "~/schemas/forms/assets";

export const access = allow.tenantUser();

export const links: LinksFunction = () => [{ rel: "stylesheet", href: assetsCss }];

/** The buttons this action serves (the authorization matrix has a row for each). */
export const intents = [
  "folder-create",
  "folder-rename",
  "folder-move",
  "folder-delete",
  "search-save",
  "search-delete",
  "bulk-tag-add",
  "bulk-tag-remove",
  "bulk-label",
  "bulk-metadata",
  "bulk-move",
  "bulk-delete",
] as const;

type Intent = (typeof intents)[number];

/** What each button needs; checked before the form is even read. */
const INTENT_CAPABILITY: Record<Intent, Capability> = {
  "folder-create": "asset.upload",
  "folder-rename": "asset.edit_metadata",
  "folder-move": "asset.edit_metadata",
  "folder-delete": "asset.delete",
  "search-save": "asset.view",
  "search-delete": "asset.view",
  "bulk-tag-add": "asset.edit_metadata",
  "bulk-tag-remove": "asset.edit_metadata",
  "bulk-label": "asset.edit_metadata",
  "bulk-metadata": "asset.edit_metadata",
  "bulk-move": "asset.edit_metadata",
  "bulk-delete": "asset.delete",
};

const PAGE_SIZE = 100;
const MORE_PAGE_SIZE = 200;
const VIEW_COOKIE = "kura_view";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.folder ? `${data.folder.name} — ` : ""}${data.project.name} — Kura` : "Kura" },
];

const ParamsSchema = z.object({ projectId: z.string().min(1).max(128) });
const BrowseSearchTextSchema = z.object({ q: SearchTextSchema.optional() });

function viewOf(request: Request): View {
  const cookie = request.headers.get("Cookie") ?? "";
  return /(?:^|;\s*)kura_view=list(?:;|$)/.test(cookie) ? "list" : "grid";
}

/** A folder of this project (its breadcrumbs too), or 404. */
async function folderInProject(context: KuraContext, projectId: string, folderId: string) {
  const folder = await getFolder(context, folderId);
  if (folder.projectId !== projectId) fail("not_found", "No such folder in this project.");
  return folder;
}

async function allSubfolders(context: KuraContext, projectId: string, parentId: string | undefined) {
  const out: Awaited<ReturnType<typeof listFolders>>["items"] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 5; i++) {
    const page = await listFolders(context, projectId, { parentId, limit: 200, cursor });
    out.push(...page.items);
    if (!page.nextCursor) return { items: out, truncated: false };
    cursor = page.nextCursor;
  }
  return { items: out, truncated: true };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { projectId } = parseParams(params, ParamsSchema);
  // 404 without a grant, 403 with a grant lacking asset.view.
  const { project, capabilities } = await requireProjectPermission(context, projectId, "asset.view");
  // Search text follows the API's rule: a NUL or control character is a 400, not a dropped filter.
  parseQuery(request, BrowseSearchTextSchema);
  const browse = parseBrowseParams(new URL(request.url).searchParams);
  // Searching needs search.use: without it the text is dropped (the page says so) rather than refused.
  const searchDenied = Boolean(browse.q) && !capabilities.has("search.use");
  if (searchDenied) browse.q = undefined;
  const folder = browse.folder ? await folderInProject(context, projectId, browse.folder) : null;

  let listing: { items: BrowserAsset[]; nextCursor: string | null } = { items: [], nextCursor: null };
  let filterError: UiText | null = null;
  try {
    listing = await listAssets(context, projectId, { ...toListQuery(browse, PAGE_SIZE), cursor: undefined });
  } catch (error) {
    // A filter the server refuses (e.g. an unknown metadata key) is shown on the page.
    const formError = await toFormError(error);
    filterError = Object.values(formError.fields)[0] ?? formError.message;
  }
  const [subfolders, facets, savedSearches, fields, folderPaths] = await Promise.all([
    allSubfolders(context, projectId, folder?.id),
    tagFacets(context, projectId, 100),
    listSavedSearches(context, projectId),
    listMetadataFields(context),
    listFolderPaths(context, projectId),
  ]);
  return {
    project: { id: project.id, name: project.name, createdAt: project.createdAt },
    capabilities: CAPABILITIES.filter((c) => capabilities.has(c)),
    browse,
    searchDenied,
    filterError,
    folder: folder ? { id: folder.id, name: folder.name, parentId: folder.parentId, breadcrumbs: folder.breadcrumbs } : null,
    subfolders: { items: subfolders.items.map((f) => ({ id: f.id, name: f.name, parentId: f.parentId })), truncated: subfolders.truncated },
    assets: {
      items: listing.items.map(slim),
      nextCursor: listing.nextCursor,
    },
    facets,
    savedSearches: savedSearches.map((s) => ({ id: s.id, name: s.name, search: paramsOfSaved(s.query).toString() })),
    fields: fields.map((f) => ({ key: f.key, label: f.label, type: f.type, options: f.options })),
    folderPaths: folderPaths.items.map((f) => ({ id: f.id, path: f.path.join(" / ") })),
    view: viewOf(request),
  };
}

/** What the grid and list show (metadata values stay on the asset page). */
function slim(a: BrowserAsset): BrowserAsset {
  const tech = a.technical;
  return {
    id: a.id,
    name: a.name,
    kind: a.kind,
    status: a.status,
    size: a.size,
    hasThumbnail: a.hasThumbnail,
    colorLabel: a.colorLabel,
    createdAt: a.createdAt,
    tags: a.tags,
    technical: {
      durationSeconds: tech.durationSeconds,
      width: tech.width,
      height: tech.height,
      frameRate: tech.frameRate,
      videoCodec: tech.videoCodec,
      audioCodec: tech.audioCodec,
    },
  };
}

type Done = { ok: true; form: string; notice: UiText; clearSelection?: boolean };

/** A bulk "set field" value from text, typed by the field (the domain checks it). */
function typedValue(type: string, raw: string): string | number | boolean | string[] | null {
  const value = raw.trim();
  if (value === "") return null;
  switch (type) {
    case "number":
      return Number.isFinite(Number(value)) ? Number(value) : value;
    case "boolean":
      return /^(true|yes|1|on|はい)$/i.test(value) ? true : /^(false|no|0|off|いいえ)$/i.test(value) ? false : value;
    case "multiselect":
      return value
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean);
    case "datetime":
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? `${value}Z` : value;
    default:
      return value;
  }
}

export async function action({ request, params, context }: ActionFunctionArgs): Promise<Done | FormFailure> {
  const { projectId } = parseParams(params, ParamsSchema);
  const formData = await readFormData(request);
  const own = intentOf(formData, INTENT_CAPABILITY);
  if (!own) {
    await requireProjectPermission(context, projectId, null);
    fail("bad_request", "Unknown action.");
  }
  const { intent, value: capability } = own;
  // The same guard as the loader, before anything is read or written.
  await requireProjectPermission(context, projectId, capability);

  if (intent === "folder-create") {
    const parsed = parseFormData(formData, FolderCreateFormSchema);
    if (!parsed.ok) return validationFailure("folder-create", parsed.errors, formData);
    const { name, parentId } = parsed.data;
    if (parentId) await folderInProject(context, projectId, parentId);
    const result = await attempt("folder-create", formData, () => createFolder(context, projectId, { name, parentId }));
    return result.ok ? { ok: true, form: "folder-create", notice: { key: "browse.folderCreated", params: { name: result.value.name } } } : result;
  }
  if (intent === "folder-rename" || intent === "folder-move" || intent === "folder-delete") {
    const rowForm = `folder:${String(formData.get("folderId") ?? "")}`;
    const schema = intent === "folder-rename" ? FolderRenameFormSchema : intent === "folder-move" ? FolderMoveFormSchema : FolderDeleteFormSchema;
    const parsed = parseFormData(formData, schema);
    if (!parsed.ok) return validationFailure(rowForm, parsed.errors, formData);
    const data = parsed.data as { folderId: string; name?: string; parentId?: string | null };
    await folderInProject(context, projectId, data.folderId);
    if (data.parentId) await folderInProject(context, projectId, data.parentId);
    const result = await attempt(rowForm, formData, () =>
      intent === "folder-delete"
        ? deleteFolder(context, data.folderId)
        : updateFolder(context, data.folderId, intent === "folder-rename" ? { name: data.name } : { parentId: data.parentId ?? null }).then(() => undefined),
    );
    if (!result.ok) return result;
    return { ok: true, form: intent === "folder-delete" ? "folders" : rowForm, notice: { key: intent === "folder-delete" ? "browse.folderDeleted" : "browse.folderSaved" } };
  }
  if (intent === "search-save") {
    const parsed = parseFormData(formData, SearchSaveFormSchema);
    if (!parsed.ok) return validationFailure("search-save", parsed.errors, formData);
    const query = savedQueryOf(parseBrowseParams(new URLSearchParams(parsed.data.search)));
    const result = await attempt("search-save", formData, () => createSavedSearch(context, projectId, { name: parsed.data.name, query }));
    return result.ok ? { ok: true, form: "search-save", notice: { key: "browse.searchSaved", params: { name: result.value.name } } } : result;
  }
  if (intent === "search-delete") {
    const parsed = parseFormData(formData, SearchDeleteFormSchema);
    if (!parsed.ok) return validationFailure("saved-searches", parsed.errors, formData);
    const mine = (await listSavedSearches(context, projectId)).some((s) => s.id === parsed.data.savedSearchId);
    if (!mine) fail("not_found", "No such saved search.");
    const result = await attempt("saved-searches", formData, () => deleteSavedSearch(context, parsed.data.savedSearchId));
    return result.ok ? { ok: true, form: "saved-searches", notice: { key: "browse.searchDeleted" } } : result;
  }

  // Bulk actions on the selection.
  if (intent === "bulk-delete") {
    const parsed = parseFormData(formData, BulkDeleteFormSchema);
    if (!parsed.ok) return validationFailure("bulk", parsed.errors, formData, ["assetIds"]);
    const result = await attempt("bulk", formData, () => bulkDeleteAssets(context, projectId, parsed.data.assetIds), ["assetIds"]);
    return result.ok ? { ok: true, form: "bulk", notice: { key: "browse.deleted", params: { count: result.value.deleted } }, clearSelection: true } : result;
  }
  let body: Parameters<typeof bulkUpdateAssets>[2];
  if (intent === "bulk-tag-add" || intent === "bulk-tag-remove") {
    const parsed = parseFormData(formData, BulkTagFormSchema);
    if (!parsed.ok) return validationFailure("bulk", parsed.errors, formData, ["assetIds"]);
    body = { assetIds: parsed.data.assetIds, ...(intent === "bulk-tag-add" ? { addTags: [parsed.data.tag] } : { removeTags: [parsed.data.tag] }) };
  } else if (intent === "bulk-label") {
    const parsed = parseFormData(formData, BulkLabelFormSchema);
    if (!parsed.ok) return validationFailure("bulk", parsed.errors, formData, ["assetIds"]);
    body = { assetIds: parsed.data.assetIds, colorLabel: parsed.data.colorLabel };
  } else if (intent === "bulk-metadata") {
    const parsed = parseFormData(formData, BulkMetadataFormSchema);
    if (!parsed.ok) return validationFailure("bulk", parsed.errors, formData, ["assetIds"]);
    const field = (await listMetadataFields(context)).find((f) => f.key === parsed.data.field);
    if (!field) return validationFailure("bulk", [{ path: "field", message: "v.meta.unknown" }], formData, ["assetIds"]);
    body = { assetIds: parsed.data.assetIds, metadata: { [field.key]: typedValue(field.type, parsed.data.value) } };
  } else {
    const parsed = parseFormData(formData, BulkMoveFormSchema);
    if (!parsed.ok) return validationFailure("bulk", parsed.errors, formData, ["assetIds"]);
    body = { assetIds: parsed.data.assetIds, folderId: parsed.data.folderId };
  }
  const result = await attempt("bulk", formData, () => bulkUpdateAssets(context, projectId, body), ["assetIds"]);
  if (!result.ok) {
    // The domain names metadata errors "metadata.<key>"; the bulk form has one value input.
    const value = Object.entries(result.error.fields).find(([k]) => k.startsWith("metadata."))?.[1];
    return value ? formFailure("bulk", { ...result.error, fields: { ...result.error.fields, value } }, formData, ["assetIds"]) : result;
  }
  return { ok: true, form: "bulk", notice: { key: "browse.updated", params: { count: result.value.updated } }, clearSelection: intent === "bulk-move" };
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

type Data = Awaited<ReturnType<typeof loader>>;

// ---------------------------------------------------------------------------
// Page
// ---------------------------------------------------------------------------

/** What each capability lets the user do here; shown only when held. */
const ACTIONS: { cap: Capability; key: MessageKey; kind: "link" | "selection" | "soon"; href?: string }[] = [
  { cap: "asset.upload", key: "project.action.upload", kind: "link", href: "#upload" },
  { cap: "search.use", key: "project.action.search", kind: "link", href: "#search-q" },
  { cap: "asset.download_original", key: "project.action.downloadOriginal", kind: "selection" },
  { cap: "asset.edit_metadata", key: "project.action.editMetadata", kind: "selection" },
  { cap: "asset.delete", key: "project.action.delete", kind: "selection" },
  { cap: "asset.download_proxy", key: "project.action.downloadProxy", kind: "soon" },
  { cap: "marker.edit", key: "project.action.markers", kind: "soon" },
  { cap: "share.create", key: "project.action.share", kind: "soon" },
  { cap: "collection.manage", key: "project.action.collections", kind: "soon" },
];

export default function ProjectBrowsePage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const { project, browse, folder } = data;
  const held = useMemo(() => new Set<string>(data.capabilities), [data.capabilities]);
  const revalidator = useRevalidator();
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/projects">{t("projects.title")}</Link> /
      </p>
      <h1 data-testid="project-name">{project.name}</h1>
      <FolderCrumbs data={data} />
      <ProjectActions held={held} projectId={project.id} />
      {data.searchDenied ? <p className="alert alert-warn">{t("browse.noAccessSearch")}</p> : null}
      <div className="browse-layout">
        <aside className="browse-side" aria-label={t("browse.filters")}>
          <FoldersPanel data={data} held={held} />
          <TagFacets data={data} />
          <SavedSearches data={data} />
        </aside>
        <div className="browse-main">
          <SearchForm data={data} held={held} />
          {held.has("asset.upload") ? (
            <details id="upload" className="card upload-card" data-testid="upload-section" open>
              <summary>{t("browse.upload")}</summary>
              <div data-testid="upload-slot">
                <UploadPanel projectId={project.id} folderId={folder?.id ?? null} onUploaded={() => revalidator.revalidate()} headingHidden />
              </div>
            </details>
          ) : null}
          <AssetsPane key={`${project.id}?${browseSearch(browse).toString()}`} data={data} held={held} />
        </div>
      </div>
      <details className="card caps-details">
        <summary>{t("project.yourPermissions")}</summary>
        <Capabilities held={held} />
      </details>
    </>
  );
}

function Capabilities({ held }: { held: Set<string> }) {
  const t = useT();
  const locale = useLocale();
  return (
    <ul className="caps-list" data-testid="capabilities">
      {CAPABILITIES.map((c) => (
        <li key={c} data-capability={c} data-held={held.has(c) ? "yes" : "no"} className={held.has(c) ? "held" : "not-held"}>
          <span aria-hidden="true">{held.has(c) ? "✓" : "—"}</span> {CAPABILITY_DESCRIPTIONS[c][locale]} <code>{c}</code>
          <span className="visually-hidden">{held.has(c) ? t("project.held") : t("project.notHeld")}</span>
        </li>
      ))}
    </ul>
  );
}

function ProjectActions({ held, projectId }: { held: Set<string>; projectId: string }) {
  const t = useT();
  const soon = ACTIONS.filter((a) => a.kind === "soon" && held.has(a.cap));
  return (
    <div className="toolbar project-actions" data-testid="project-actions" aria-label={t("browse.otherActions")} role="group">
      {held.has("project.manage_members") ? (
        <Link className="button-link" to={`/projects/${encodeURIComponent(projectId)}/members`} data-testid="cap-project.manage_members">
          {t("project.manageMembers")}
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

function FolderCrumbs({ data }: { data: Data }) {
  const t = useT();
  const crumbs = data.folder?.breadcrumbs ?? [];
  return (
    <nav aria-label={t("browse.breadcrumbs")} className="folder-crumbs" data-testid="folder-crumbs">
      <ol>
        <li>
          {crumbs.length === 0 ? (
            <span aria-current="page">{t("browse.root")}</span>
          ) : (
            <Link to={pages.folder(data.project.id, null)}>{t("browse.root")}</Link>
          )}
        </li>
        {crumbs.map((c, i) => (
          <li key={c.id}>
            {i === crumbs.length - 1 ? <span aria-current="page">{c.name}</span> : <Link to={pages.folder(data.project.id, c.id)}>{c.name}</Link>}
          </li>
        ))}
      </ol>
    </nav>
  );
}

// --- Folders ---------------------------------------------------------------------

function FoldersPanel({ data, held }: { data: Data; held: Set<string> }) {
  const t = useT();
  const created = useFormResult<Done>("folder-create");
  const deleted = useFormResult<Done>("folders");
  const failure = failureOf(created) ?? failureOf(deleted);
  const text = useUiText();
  const folderDone = (created?.ok ? created : deleted?.ok ? deleted : undefined) as Done | undefined;
  return (
    <section className="side-section" aria-labelledby="folders-heading" data-testid="folders">
      <h2 id="folders-heading">{t("browse.folders")}</h2>
      {folderDone ? <Notice>{text(folderDone.notice)}</Notice> : null}
      <FormAlert failure={failure} />
      {data.folder ? (
        <p className="folder-up">
          <Link to={pages.folder(data.project.id, data.folder.parentId)}>↑ {data.folder.breadcrumbs.at(-2)?.name ?? t("browse.root")}</Link>
        </p>
      ) : null}
      {data.subfolders.items.length === 0 ? <p className="muted">{t("browse.noFolders")}</p> : null}
      <ul className="folder-list">
        {data.subfolders.items.map((f) => (
          <FolderRow key={f.id} folder={f} data={data} held={held} />
        ))}
      </ul>
      {data.subfolders.truncated ? <p className="muted">{t("browse.moreFolders", { count: data.subfolders.items.length })}</p> : null}
      {held.has("asset.upload") ? (
        <Form method="post" className="inline-form compact new-folder" key={folderDone ? JSON.stringify(folderDone.notice) : "new"}>
          <input type="hidden" name="intent" value="folder-create" />
          <input type="hidden" name="parentId" value={data.folder?.id ?? ""} />
          <label htmlFor="new-folder-name" className="visually-hidden">
            {t("browse.folderName")}
          </label>
          <input id="new-folder-name" name="name" placeholder={t("browse.newFolder")} maxLength={255} required defaultValue={failureOf(created)?.values.name} />
          <button type="submit">{t("browse.createFolder")}</button>
          <FieldErrorText failure={failureOf(created)} name="name" />
        </Form>
      ) : null}
    </section>
  );
}

function FolderRow({ folder, data, held }: { folder: Data["subfolders"]["items"][number]; data: Data; held: Set<string> }) {
  const t = useT();
  const result = useFormResult(`folder:${folder.id}`);
  const failure = failureOf(result);
  const canEdit = held.has("asset.edit_metadata");
  const canDelete = held.has("asset.delete");
  const targets = data.folderPaths.filter((p) => p.id !== folder.id && !p.path.startsWith(`${pathOf(data, folder.id)} / `));
  return (
    <li data-testid="folder-item" data-name={folder.name}>
      <Link to={pages.folder(data.project.id, folder.id)} className="folder-link">
        <span aria-hidden="true" className="folder-icon">
          ▸
        </span>{" "}
        {folder.name}
      </Link>
      {canEdit || canDelete ? (
        <details className="folder-menu" open={failure ? true : undefined}>
          <summary aria-label={t("browse.folderActions", { name: folder.name })}>…</summary>
          <FormAlert failure={failure} />
          {result?.ok ? <small className="ok-text">{t("common.saved")}</small> : null}
          {canEdit ? (
            <>
              <Form method="post" className="inline-form compact">
                <input type="hidden" name="intent" value="folder-rename" />
                <input type="hidden" name="folderId" value={folder.id} />
                <label htmlFor={`rename-${folder.id}`} className="visually-hidden">
                  {t("browse.folderName")}
                </label>
                <input id={`rename-${folder.id}`} name="name" defaultValue={folder.name} key={folder.name} maxLength={255} required />
                <button type="submit">{t("browse.renameFolder")}</button>
              </Form>
              <FieldErrorText failure={failure} name="name" />
              <Form method="post" className="inline-form compact">
                <input type="hidden" name="intent" value="folder-move" />
                <input type="hidden" name="folderId" value={folder.id} />
                <label htmlFor={`move-${folder.id}`}>{t("browse.moveFolder")}</label>
                <select id={`move-${folder.id}`} name="parentId" defaultValue={folder.parentId ?? ""}>
                  <option value="">{t("browse.root")}</option>
                  {targets.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.path}
                    </option>
                  ))}
                </select>
                <button type="submit">{t("browse.move")}</button>
              </Form>
            </>
          ) : null}
          {canDelete ? (
            <Form method="post">
              <input type="hidden" name="intent" value="folder-delete" />
              <input type="hidden" name="folderId" value={folder.id} />
              <button type="submit" className="danger">
                {t("browse.deleteFolder").replace("…", "")}
              </button>
            </Form>
          ) : null}
        </details>
      ) : null}
    </li>
  );
}

function pathOf(data: Data, folderId: string): string {
  return data.folderPaths.find((p) => p.id === folderId)?.path ?? "";
}

// --- Tags and saved searches ----------------------------------------------------

function TagFacets({ data }: { data: Data }) {
  const t = useT();
  const { browse } = data;
  return (
    <section className="side-section" aria-labelledby="tags-heading" data-testid="tag-facets">
      <h2 id="tags-heading">{t("browse.tags")}</h2>
      {data.facets.length === 0 ? <p className="muted">{t("browse.noTags")}</p> : null}
      <ul className="facet-list">
        {data.facets.map((f) => {
          const active = browse.tag.includes(f.tag);
          const next = { ...browse, tag: active ? browse.tag.filter((x) => x !== f.tag) : [...browse.tag, f.tag] };
          return (
            <li key={f.tag}>
              <Link
                to={pages.project(data.project.id, browseSearch(next))}
                className={`facet${active ? " active" : ""}`}
                aria-current={active ? "true" : undefined}
                aria-label={t("browse.tagFilter", { tag: f.tag, count: f.count })}
                data-testid="tag-facet"
                data-tag={f.tag}
              >
                <span>{f.tag}</span> <span className="count">{f.count}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function SavedSearches({ data }: { data: Data }) {
  const t = useT();
  const text = useUiText();
  const location = useLocation();
  const saved = useFormResult<Done>("search-save");
  const list = useFormResult<Done>("saved-searches");
  const saveFailure = failureOf(saved);
  return (
    <section className="side-section" aria-labelledby="saved-heading" data-testid="saved-searches">
      <h2 id="saved-heading">{t("browse.savedSearches")}</h2>
      {saved?.ok ? <Notice>{text(saved.notice)}</Notice> : null}
      {list?.ok ? <Notice>{text(list.notice)}</Notice> : null}
      <FormAlert failure={failureOf(list)} />
      {data.savedSearches.length === 0 ? <p className="muted">{t("browse.noSavedSearches")}</p> : null}
      <ul className="saved-list">
        {data.savedSearches.map((s) => (
          <li key={s.id} data-testid="saved-search" data-name={s.name}>
            <Link to={pages.project(data.project.id, s.search)}>{s.name}</Link>
            <Form method="post" className="inline">
              <input type="hidden" name="intent" value="search-delete" />
              <input type="hidden" name="savedSearchId" value={s.id} />
              <button type="submit" className="icon-button" aria-label={t("browse.deleteSearch", { name: s.name })} title={t("browse.deleteSearch", { name: s.name })}>
                ×
              </button>
            </Form>
          </li>
        ))}
      </ul>
      <Form method="post" className="inline-form compact" key={saved?.ok ? saved.notice && JSON.stringify(saved.notice) : "save"}>
        <input type="hidden" name="intent" value="search-save" />
        <input type="hidden" name="search" value={location.search.replace(/^\?/, "")} />
        <label htmlFor="save-search-name" className="visually-hidden">
          {t("browse.savedSearchName")}
        </label>
        <input id="save-search-name" name="name" placeholder={t("browse.saveSearch")} maxLength={100} required defaultValue={saveFailure?.values.name} />
        <button type="submit">{t("browse.save")}</button>
        <FormAlert failure={saveFailure} />
        <FieldErrorText failure={saveFailure} name="name" />
      </Form>
    </section>
  );
}

// --- Search and filters -------------------------------------------------------

const RESOLUTIONS = [
  { height: 720, label: "720p (HD)" },
  { height: 1080, label: "1080p (Full HD)" },
  { height: 1440, label: "1440p (QHD)" },
  { height: 2160, label: "2160p (4K UHD)" },
];

function SearchForm({ data, held }: { data: Data; held: Set<string> }) {
  const t = useT();
  const text = useUiText();
  const submit = useSubmit();
  const { browse } = data;
  const canSearch = held.has("search.use");
  const filtersOpen = hasFilters({ ...browse, q: undefined, tag: [] });
  const chips = activeFilters(data, t);
  return (
    <section className="card search-card" aria-label={t("browse.search")}>
      <Form method="get" className="search-form" role="search" id="browse-form" onChange={(e) => {
        // Selects apply at once; text inputs wait for Enter or the button.
        if ((e.target as HTMLElement).tagName === "SELECT") submit(e.currentTarget, { replace: true });
      }}>
        {browse.folder ? <input type="hidden" name="folder" value={browse.folder} /> : null}
        {browse.tag.map((tag) => (
          <input key={tag} type="hidden" name="tag" value={tag} />
        ))}
        {browse.meta.map((m) => (
          <input key={m} type="hidden" name="meta" value={m} />
        ))}
        <div className="search-row">
          {canSearch ? (
            <>
              <label htmlFor="search-q" className="visually-hidden">
                {t("browse.searchLabel")}
              </label>
              <input id="search-q" type="search" name="q" defaultValue={browse.q ?? ""} placeholder={t("browse.searchPlaceholder")} maxLength={200} className="search-input" data-testid="search-q" />
            </>
          ) : null}
          <label htmlFor="search-scope" className="visually-hidden">
            {t("browse.scope")}
          </label>
          <select id="search-scope" name="scope" defaultValue={browse.scope}>
            <option value="folder">{t("browse.scope.folder")}</option>
            <option value="project">{t("browse.scope.project")}</option>
          </select>
          <label htmlFor="sort" className="visually-hidden">
            {t("browse.sort")}
          </label>
          <select id="sort" name="sort" defaultValue={browse.sort} data-testid="sort">
            {ASSET_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`browse.sort.${s}` as MessageKey)}
              </option>
            ))}
          </select>
          <button type="submit" className="primary">
            {canSearch ? t("browse.search") : t("browse.apply")}
          </button>
        </div>
        <details className="filters" open={filtersOpen || undefined}>
          <summary>{t("browse.filters")}</summary>
          <div className="filter-grid">
            <div className="field">
              <label htmlFor="f-kind">{t("browse.kind")}</label>
              <select id="f-kind" name="kind" defaultValue={browse.kind ?? ""}>
                <option value="">{t("browse.kind.any")}</option>
                {ASSET_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`browse.kind.${k}` as MessageKey)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="f-color">{t("browse.color")}</label>
              <select id="f-color" name="colorLabel" defaultValue={browse.colorLabel ?? ""}>
                <option value="">{t("browse.color.any")}</option>
                {COLOR_LABELS.map((c) => (
                  <option key={c} value={c}>
                    {t(`browse.color.${c}` as MessageKey)}
                  </option>
                ))}
              </select>
            </div>
            <fieldset className="field range">
              <legend>{t("browse.duration")}</legend>
              <input type="number" name="minDuration" min={0} step="any" defaultValue={browse.minDuration ?? ""} aria-label={t("browse.minDuration")} />
              <span aria-hidden="true">–</span>
              <input type="number" name="maxDuration" min={0} step="any" defaultValue={browse.maxDuration ?? ""} aria-label={t("browse.maxDuration")} />
            </fieldset>
            <div className="field">
              <label htmlFor="f-res">{t("browse.resolution")}</label>
              <select id="f-res" name="minHeight" defaultValue={browse.minHeight ?? ""}>
                <option value="">{t("browse.resolution.any")}</option>
                {RESOLUTIONS.map((r) => (
                  <option key={r.height} value={r.height}>
                    {r.label}
                  </option>
                ))}
              </select>
              {browse.minWidth !== undefined ? <input type="hidden" name="minWidth" value={browse.minWidth} /> : null}
            </div>
            <fieldset className="field range">
              <legend>{t("browse.created")}</legend>
              <input type="date" name="createdFrom" defaultValue={browse.createdFrom ?? ""} aria-label={t("browse.createdFrom")} />
              <span aria-hidden="true">–</span>
              <input type="date" name="createdTo" defaultValue={browse.createdTo ?? ""} aria-label={t("browse.createdTo")} />
            </fieldset>
            {data.fields.length > 0 ? (
              <fieldset className="field range">
                <legend>{t("browse.metaFilter")}</legend>
                <select name="metaKey" aria-label={t("browse.metaField")} defaultValue="">
                  <option value="">{t("browse.metaAny")}</option>
                  {data.fields.map((f) => (
                    <option key={f.key} value={f.key}>
                      {f.label}
                    </option>
                  ))}
                </select>
                <span aria-hidden="true">=</span>
                <input name="metaValue" aria-label={t("browse.metaValue")} maxLength={250} />
              </fieldset>
            ) : null}
          </div>
          <div className="toolbar">
            <button type="submit">{t("browse.apply")}</button>
          </div>
        </details>
      </Form>
      {data.filterError ? (
        <p className="alert alert-error" role="alert" data-testid="filter-error">
          {t("browse.filterError")} {text(data.filterError)}
        </p>
      ) : null}
      {chips.length > 0 ? (
        <div className="chips" aria-label={t("browse.activeFilters")} role="group" data-testid="active-filters">
          {chips.map((c) => (
            <Link key={c.label} to={pages.project(data.project.id, browseSearch(c.without))} className="chip" aria-label={t("browse.removeFilter", { name: c.label })}>
              {c.label} <span aria-hidden="true">×</span>
            </Link>
          ))}
          <Link to={pages.project(data.project.id, browseSearch({ folder: browse.folder, sort: browse.sort }))} className="chip clear">
            {t("browse.clear")}
          </Link>
        </div>
      ) : null}
    </section>
  );
}

function activeFilters(data: Data, t: ReturnType<typeof useT>): { label: string; without: BrowseParams }[] {
  const b = data.browse;
  const out: { label: string; without: BrowseParams }[] = [];
  if (b.q) out.push({ label: t("browse.chip.q", { q: b.q }), without: { ...b, q: undefined } });
  if (b.scope === "project") out.push({ label: t("browse.scope.project"), without: { ...b, scope: "folder" } });
  if (b.kind) out.push({ label: t(`browse.kind.${b.kind}` as MessageKey), without: { ...b, kind: undefined } });
  for (const tag of b.tag) out.push({ label: `#${tag}`, without: { ...b, tag: b.tag.filter((x) => x !== tag) } });
  if (b.colorLabel) out.push({ label: t(`browse.color.${b.colorLabel}` as MessageKey), without: { ...b, colorLabel: undefined } });
  if (b.minDuration !== undefined) out.push({ label: `≥ ${b.minDuration}s`, without: { ...b, minDuration: undefined } });
  if (b.maxDuration !== undefined) out.push({ label: `≤ ${b.maxDuration}s`, without: { ...b, maxDuration: undefined } });
  if (b.minHeight !== undefined) out.push({ label: `≥ ${b.minHeight}p`, without: { ...b, minHeight: undefined } });
  if (b.minWidth !== undefined) out.push({ label: `≥ ${b.minWidth}px`, without: { ...b, minWidth: undefined } });
  if (b.createdFrom) out.push({ label: `${t("browse.createdFrom")} ${b.createdFrom}`, without: { ...b, createdFrom: undefined } });
  if (b.createdTo) out.push({ label: `${t("browse.createdTo")} ${b.createdTo}`, without: { ...b, createdTo: undefined } });
  for (const m of b.meta) {
    const [key, ...rest] = m.split(":");
    const label = data.fields.find((f) => f.key === key)?.label ?? key;
    out.push({ label: `${label}: ${rest.join(":")}`, without: { ...b, meta: b.meta.filter((x) => x !== m) } });
  }
  return out;
}

// --- Assets ------------------------------------------------------------------------

function setViewCookie(view: View) {
  document.cookie = `${VIEW_COOKIE}=${view}; Path=/; Max-Age=31536000; SameSite=Lax`;
}

function AssetsPane({ data, held }: { data: Data; held: Set<string> }) {
  const t = useT();
  const locale = useLocale();
  const [items, setItems] = useState<BrowserAsset[]>(data.assets.items);
  const [cursor, setCursor] = useState<string | null>(data.assets.nextCursor);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState(false);
  const [view, setView] = useState<View>(data.view);
  const busy = useRef(false);
  const selection = useSelection(items);
  const actionData = useActionData<typeof action>();

  // Fresh loader data (after an action or a new search): start again from its first page.
  useEffect(() => {
    setItems(data.assets.items);
    setCursor(data.assets.nextCursor);
    setLoadError(false);
  }, [data.assets]);

  useEffect(() => {
    if (actionData && actionData.ok && actionData.form === "bulk" && (actionData as Done).clearSelection) selection.clear();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [actionData]);

  // Selected ids that are no longer listed (deleted, moved away) drop out.
  useEffect(() => {
    const ids = new Set(items.map((a) => a.id));
    selection.setSelected((prev) => {
      const next = new Set([...prev].filter((id) => ids.has(id)));
      return next.size === prev.size ? prev : next;
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [items]);

  const loadMore = useCallback(async () => {
    if (busy.current || !cursor) return;
    busy.current = true;
    setLoading(true);
    try {
      const res = await fetch(webApi.assets(data.project.id, listQuerySearch(data.browse, MORE_PAGE_SIZE, cursor)), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const page = (await res.json()) as { items: BrowserAsset[]; nextCursor: string | null };
      setItems((prev) => {
        const seen = new Set(prev.map((a) => a.id));
        return prev.concat(page.items.filter((a) => !seen.has(a.id)).map(slim));
      });
      setCursor(page.nextCursor);
    } catch {
      setLoadError(true);
    } finally {
      busy.current = false;
      setLoading(false);
    }
  }, [cursor, data.project.id, data.browse]);

  const chooseView = (v: View) => {
    setView(v);
    setViewCookie(v);
  };

  const empty = items.length === 0;
  const atRootUnfiltered = !data.folder && !hasFilters(data.browse) && data.subfolders.items.length === 0 && !data.filterError;
  return (
    <section className="card assets-card" aria-labelledby="assets-heading">
      <div className="assets-head">
        <h2 id="assets-heading">{t("project.assets")}</h2>
        <span className="muted" role="status" data-testid="loaded-count">
          {cursor ? t("browse.loadedMore", { count: items.length.toLocaleString(locale) }) : t("browse.loaded", { count: items.length.toLocaleString(locale) })}
        </span>
        <div className="view-toggle" role="group" aria-label={t("browse.view")}>
          {(["grid", "list"] as const).map((v) => (
            <button key={v} type="button" aria-pressed={view === v} onClick={() => chooseView(v)} data-testid={`view-${v}`}>
              {t(`browse.view.${v}`)}
            </button>
          ))}
        </div>
      </div>
      <BulkToolbar data={data} held={held} selection={selection} items={items} />
      {empty ? (
        atRootUnfiltered ? (
          <p data-testid="assets-empty" className="empty muted">
            {t("project.noAssets")}
          </p>
        ) : (
          <p data-testid="assets-none" className="empty muted">
            {hasFilters(data.browse) ? t("browse.noResults") : t("browse.emptyFolder")}
          </p>
        )
      ) : (
        <>
          <p className="muted small" id="browser-help">
            {t("browse.keyboardHelp")}
          </p>
          <AssetBrowser
            projectId={data.project.id}
            items={items}
            view={view}
            selection={selection}
            hasMore={Boolean(cursor) && !loadError}
            loading={loading}
            onLoadMore={loadMore}
            label={t("browse.gridLabel")}
          />
        </>
      )}
      {loadError ? (
        <p className="alert alert-error" role="alert">
          {t("browse.loadFailed")}{" "}
          <button
            type="button"
            onClick={() => {
              setLoadError(false);
              void loadMore();
            }}
          >
            {t("browse.retry")}
          </button>
        </p>
      ) : null}
    </section>
  );
}

// --- Selection toolbar ------------------------------------------------------------

function BulkToolbar({ data, held, selection, items }: { data: Data; held: Set<string>; selection: ReturnType<typeof useSelection>; items: BrowserAsset[] }) {
  const t = useT();
  const text = useUiText();
  const result = useFormResult<Done>("bulk");
  const failure = failureOf(result);
  const count = selection.selected.size;
  const ids = [...selection.selected].join(",");
  const canEdit = held.has("asset.edit_metadata");
  const hidden = (intent: string) => (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="assetIds" value={ids} />
    </>
  );
  return (
    <div className="bulk-area">
      {result?.ok ? <Notice testId="bulk-notice">{text(result.notice)}</Notice> : null}
      <FormAlert failure={failure} />
      {failure ? (
        <>
          <FieldErrorText failure={failure} name="assetIds" />
          <FieldErrorText failure={failure} name="tag" />
          <FieldErrorText failure={failure} name="value" />
        </>
      ) : null}
      {count === 0 ? (
        items.length > 0 ? (
          <div className="toolbar">
            <button type="button" onClick={selection.all} data-testid="select-all">
              {t("browse.selectAll")}
            </button>
          </div>
        ) : null
      ) : (
        <div className="bulk-bar" role="region" aria-label={t("browse.selectionActions")} data-testid="bulk-bar">
          <div className="bulk-count">
            <strong role="status">{t("browse.selected", { count })}</strong>
            <button type="button" onClick={selection.clear}>
              {t("browse.clearSelection")}
            </button>
            <button type="button" onClick={selection.all}>
              {t("browse.selectAll")}
            </button>
          </div>
          {canEdit ? (
            <>
              <Form method="post" className="inline-form compact">
                {hidden("bulk-tag-add")}
                <label htmlFor="bulk-tag">{t("browse.tag")}</label>
                <input id="bulk-tag" name="tag" maxLength={64} required list="known-tags" />
                <datalist id="known-tags">
                  {data.facets.map((f) => (
                    <option key={f.tag} value={f.tag} />
                  ))}
                </datalist>
                <button type="submit">{t("browse.addTag")}</button>
                <button type="submit" name="intent" value="bulk-tag-remove">
                  {t("browse.removeTag")}
                </button>
              </Form>
              <Form method="post" className="inline-form compact">
                {hidden("bulk-label")}
                <label htmlFor="bulk-label">{t("browse.color")}</label>
                <select id="bulk-label" name="colorLabel" defaultValue="none">
                  <option value="none">{t("browse.color.none")}</option>
                  {COLOR_LABELS.map((c) => (
                    <option key={c} value={c}>
                      {t(`browse.color.${c}` as MessageKey)}
                    </option>
                  ))}
                </select>
                <button type="submit">{t("browse.setLabel")}</button>
              </Form>
              {data.fields.length > 0 ? (
                <Form method="post" className="inline-form compact">
                  {hidden("bulk-metadata")}
                  <label htmlFor="bulk-field">{t("browse.metaField")}</label>
                  <select id="bulk-field" name="field">
                    {data.fields.map((f) => (
                      <option key={f.key} value={f.key}>
                        {f.label}
                      </option>
                    ))}
                  </select>
                  <label htmlFor="bulk-value" className="visually-hidden">
                    {t("browse.value")}
                  </label>
                  <input id="bulk-value" name="value" placeholder={t("browse.value")} maxLength={10000} />
                  <button type="submit">{t("browse.setField")}</button>
                </Form>
              ) : null}
              <Form method="post" className="inline-form compact">
                {hidden("bulk-move")}
                <label htmlFor="bulk-folder">{t("browse.moveTo")}</label>
                <select id="bulk-folder" name="folderId" defaultValue={data.folder?.id ?? ""}>
                  <option value="">{t("browse.root")}</option>
                  {data.folderPaths.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.path}
                    </option>
                  ))}
                </select>
                <button type="submit">{t("browse.move")}</button>
              </Form>
            </>
          ) : null}
          {held.has("asset.download_original") ? (
            <form method="post" action={pages.zip(data.project.id)} className="inline-form compact" data-testid="zip-form">
              <input type="hidden" name="assetIds" value={ids} />
              <button type="submit" disabled={count > 1000}>
                {t("browse.downloadZip")}
              </button>
            </form>
          ) : null}
          {held.has("asset.delete") ? (
            <details className="confirm">
              <summary>{t("browse.deleteSelected")}</summary>
              <Form method="post">
                {hidden("bulk-delete")}
                <p>{t("browse.deleteSelectedConfirm", { count })}</p>
                <button type="submit" className="danger" disabled={count > 1000}>
                  {t("common.deletePermanently")}
                </button>
              </Form>
            </details>
          ) : null}
        </div>
      )}
    </div>
  );
}
