/**
 * The asset page: player (or thumbnail), technical metadata, file facts,
 * and, for holders of asset.edit_metadata, name, tags, colour label and the
 * tenant's typed metadata fields (an input per type; the domain's error for
 * a field is shown next to it). Download and delete by capability.
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { redirect } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import { requireProjectPermission } from "~/.server/access/permissions.server";
import { deleteAsset, getAsset, updateAsset } from "~/.server/assets/assets.server";
import { getFolder } from "~/.server/assets/folders.server";
import type { KuraContext } from "~/.server/context";
import { fail } from "~/.server/http/errors.server";
import { parseFormData, parseParams, readFormData } from "~/.server/http/validation.server";
import { colleagueName } from "~/.server/identity/users.server";
import { listMetadataFields } from "~/.server/metadata/fields.server";
import { attempt, intentOf, validationFailure } from "~/.server/ui/forms.server";
import { ColorDot, StatusBadge, Thumb } from "~/components/assets/bits";
import { formatBytes } from "~/components/assets/format";
import { TechnicalTable } from "~/components/assets/technical-table";
import { pages, playbackKind, webApi } from "~/components/assets/urls";
import { DateTime } from "~/components/date-time";
import { FieldErrorText, FormAlert, failureOf, Notice, useFormResult, useUiText } from "~/components/forms";
import type { FormFailure, UiText } from "~/components/form-types";
import { RouteErrorBoundary } from "~/components/route-error";
import { useLocale, useT } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n/messages";
import { allow } from "~/policy/access";
import type { Capability } from "~/policy/capabilities";
import { COLOR_LABELS } from "~/schemas/assets";
import {
  AssetDeleteFormSchema,
  AssetLabelFormSchema,
  AssetMetadataFormSchema,
  AssetRenameFormSchema,
  AssetTagFormSchema,
  metadataPatchOf,
} from "~/schemas/forms/assets";
import assetsCss from "~/styles/assets.css?url";

export const access = allow.tenantUser();

/** The buttons this action serves (the authorization matrix has a row for each). */
export const intents = ["rename", "tag-add", "tag-remove", "label", "metadata", "delete"] as const;
type Intent = (typeof intents)[number];

const INTENT_CAPABILITY: Record<Intent, Capability> = {
  rename: "asset.edit_metadata",
  "tag-add": "asset.edit_metadata",
  "tag-remove": "asset.edit_metadata",
  label: "asset.edit_metadata",
  metadata: "asset.edit_metadata",
  delete: "asset.delete",
};

export const links: LinksFunction = () => [{ rel: "stylesheet", href: assetsCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.asset.name} — ${data.project.name} — Kura` : "Kura" }];

const ParamsSchema = z.object({ projectId: z.string().min(1).max(128), assetId: z.string().min(1).max(128) });

/** The asset, only through its own project's URL (another project's id is a 404). */
async function assetInProject(context: KuraContext, projectId: string, assetId: string) {
  const asset = await getAsset(context, assetId);
  if (asset.projectId !== projectId) fail("not_found", "No such asset.");
  return asset;
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { projectId, assetId } = parseParams(params, ParamsSchema);
  const { project, capabilities, principal } = await requireProjectPermission(context, projectId, "asset.view");
  const asset = await assetInProject(context, projectId, assetId);
  const [fields, folder, creator] = await Promise.all([
    listMetadataFields(context),
    asset.folderId ? getFolder(context, asset.folderId) : Promise.resolve(null),
    asset.createdBy ? colleagueName(context, asset.createdBy) : Promise.resolve(null),
  ]);
  return {
    project: { id: project.id, name: project.name },
    asset,
    can: {
      edit: capabilities.has("asset.edit_metadata"),
      delete: capabilities.has("asset.delete"),
      download: capabilities.has("asset.download_original"),
    },
    fields: fields.map((f) => ({ key: f.key, label: f.label, type: f.type, options: f.options })),
    folder: folder ? { id: folder.id, breadcrumbs: folder.breadcrumbs } : null,
    creator: creator ? { name: creator.name, isMe: creator.id === principal.userId } : null,
    isTenantAdmin: principal.tenantRole === "tenant_admin",
  };
}

type Done = { ok: true; form: string; notice?: UiText };

export async function action({ request, params, context }: ActionFunctionArgs): Promise<Done | FormFailure | Response> {
  const { projectId, assetId } = parseParams(params, ParamsSchema);
  const formData = await readFormData(request);
  const own = intentOf(formData, INTENT_CAPABILITY);
  if (!own) {
    await requireProjectPermission(context, projectId, null);
    fail("bad_request", "Unknown action.");
  }
  const { intent, value: capability } = own;
  // The same guards as the loader, before anything is read or written.
  await requireProjectPermission(context, projectId, capability);
  const asset = await assetInProject(context, projectId, assetId);

  switch (intent) {
    case "rename": {
      const parsed = parseFormData(formData, AssetRenameFormSchema);
      if (!parsed.ok) return validationFailure("rename", parsed.errors, formData);
      const result = await attempt("rename", formData, () => updateAsset(context, assetId, { name: parsed.data.name }));
      return result.ok ? { ok: true, form: "rename" } : result;
    }
    case "tag-add":
    case "tag-remove": {
      const parsed = parseFormData(formData, AssetTagFormSchema);
      if (!parsed.ok) return validationFailure("tags", parsed.errors, formData);
      const tag = parsed.data.tag.normalize("NFC");
      const tags = intent === "tag-add" ? [...asset.tags, tag] : asset.tags.filter((t) => t !== tag);
      const result = await attempt("tags", formData, () => updateAsset(context, assetId, { tags }));
      return result.ok ? { ok: true, form: "tags" } : result;
    }
    case "label": {
      const parsed = parseFormData(formData, AssetLabelFormSchema);
      if (!parsed.ok) return validationFailure("label", parsed.errors, formData);
      const result = await attempt("label", formData, () => updateAsset(context, assetId, { colorLabel: parsed.data.colorLabel }));
      return result.ok ? { ok: true, form: "label" } : result;
    }
    case "metadata": {
      const parsed = parseFormData(formData, AssetMetadataFormSchema);
      if (!parsed.ok) return validationFailure("metadata", parsed.errors, formData);
      const fields = await listMetadataFields(context);
      const patch = metadataPatchOf(fields, formData, asset.metadata);
      if (Object.keys(patch).length === 0) return { ok: true, form: "metadata", notice: { key: "asset.metadataSaved" } };
      const result = await attempt("metadata", formData, () => updateAsset(context, assetId, { metadata: patch }));
      return result.ok ? { ok: true, form: "metadata", notice: { key: "asset.metadataSaved" } } : result;
    }
    case "delete": {
      const parsed = parseFormData(formData, AssetDeleteFormSchema);
      if (!parsed.ok) return validationFailure("delete", parsed.errors, formData);
      const result = await attempt("delete", formData, () => deleteAsset(context, assetId));
      if (!result.ok) return result;
      return redirect(pages.folder(projectId, asset.folderId));
    }
  }
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

type Data = Awaited<ReturnType<typeof loader>>;
type Asset = Data["asset"];

export default function AssetPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const { asset, project } = data;
  const crumbs = data.folder?.breadcrumbs ?? [];
  return (
    <>
      <nav aria-label={t("browse.breadcrumbs")} className="folder-crumbs">
        <ol>
          <li>
            <Link to="/projects">{t("projects.title")}</Link>
          </li>
          <li>
            <Link to={pages.project(project.id)} data-testid="crumb-project">
              {project.name}
            </Link>
          </li>
          {crumbs.map((c) => (
            <li key={c.id}>
              <Link to={pages.folder(project.id, c.id)}>{c.name}</Link>
            </li>
          ))}
          <li>
            <span aria-current="page">{asset.name}</span>
          </li>
        </ol>
      </nav>
      <div className="asset-title" data-testid="asset-title" data-status={asset.status}>
        <ColorDot color={asset.colorLabel} />
        <h1 data-testid="asset-name">{asset.name}</h1>
        <StatusBadge status={asset.status} />
      </div>
      {asset.status === "processing" ? <p className="alert alert-warn">{t("asset.processing")}</p> : null}
      {asset.status === "failed" ? (
        <p className="alert alert-error" data-testid="asset-problem">
          {t("asset.failed", { problem: asset.problem ?? "" })}
        </p>
      ) : null}
      <div className="asset-layout">
        <div>
          <Player data={data} />
          <div className="asset-actions">
            {data.can.download ? (
              <a className="button-link primary" href={webApi.original(asset.id)} download={asset.name} data-testid="download-original">
                {t("asset.download")}
              </a>
            ) : null}
            {data.can.delete ? <DeleteAsset asset={asset} /> : null}
          </div>
          <TechnicalTable technical={asset.technical} />
          <FileFacts data={data} />
        </div>
        <div>
          {data.can.edit ? <EditPanel data={data} /> : <ReadOnlyPanel data={data} />}
        </div>
      </div>
    </>
  );
}

// --- Player ----------------------------------------------------------------------

function Player({ data }: { data: Data }) {
  const t = useT();
  const { asset } = data;
  const kind = playbackKind(asset.contentType, asset.technical.videoCodec);
  const playable = data.can.download && kind !== null && asset.status !== "failed";
  const poster = asset.hasThumbnail ? webApi.thumbnail(asset.id) : undefined;
  return (
    <section aria-label={t("asset.player")} data-testid="player">
      <div className="player">
        {playable && kind === "video" ? (
          <video controls preload="metadata" poster={poster} src={webApi.original(asset.id, "inline")} data-testid="player-video">
            <track kind="captions" />
          </video>
        ) : playable && kind === "audio" ? (
          <audio controls preload="metadata" src={webApi.original(asset.id, "inline")} data-testid="player-audio" />
        ) : playable && kind === "image" ? (
          <img src={webApi.original(asset.id, "inline")} alt={asset.name} data-testid="player-image" />
        ) : (
          <Thumb id={asset.id} kind={asset.kind} hasThumbnail={asset.hasThumbnail} />
        )}
      </div>
      {!playable && asset.kind !== "other" ? (
        <p className="muted small" data-testid="player-notice">
          {!data.can.download ? t("asset.needsDownload") : kind === null ? t("asset.notPlayable") : t("asset.noPreview")}
        </p>
      ) : null}
    </section>
  );
}

// --- Facts --------------------------------------------------------------------------

function FileFacts({ data }: { data: Data }) {
  const t = useT();
  const locale = useLocale();
  const { asset } = data;
  return (
    <section className="card" aria-labelledby="file-heading">
      <h2 id="file-heading">{t("asset.file")}</h2>
      <dl className="facts" data-testid="file-facts">
        <dt>{t("asset.status")}</dt>
        <dd>{t(`browse.status.${asset.status}` as MessageKey)}</dd>
        {asset.problem ? (
          <>
            <dt>{t("asset.problem")}</dt>
            <dd>{asset.problem}</dd>
          </>
        ) : null}
        <dt>{t("asset.size")}</dt>
        <dd>
          {formatBytes(asset.size, locale)} <span className="muted">({asset.size.toLocaleString(locale)} B)</span>
        </dd>
        <dt>{t("asset.contentType")}</dt>
        <dd>
          <code>{asset.contentType}</code>
        </dd>
        <dt>{t("asset.sha256")}</dt>
        <dd>
          <code data-testid="sha256">{asset.sha256 ?? "—"}</code>
        </dd>
        <dt>{t("asset.createdBy")}</dt>
        <dd>
          {data.creator
            ? data.creator.isMe
              ? data.creator.name ? `${data.creator.name} (${t("asset.you")})` : t("asset.you")
              : (data.creator.name ?? t("asset.creatorUnnamed"))
            : "—"}
        </dd>
        <dt>{t("asset.createdAt")}</dt>
        <dd>
          <DateTime value={asset.createdAt} />
        </dd>
        <dt>{t("asset.updatedAt")}</dt>
        <dd>
          <DateTime value={asset.updatedAt} />
        </dd>
      </dl>
    </section>
  );
}

function DeleteAsset({ asset }: { asset: Asset }) {
  const t = useT();
  const failure = failureOf(useFormResult("delete"));
  return (
    <details className="confirm" open={failure ? true : undefined}>
      <summary>{t("asset.delete")}</summary>
      <Form method="post">
        <FormAlert failure={failure} />
        <p>{t("asset.deleteConfirm", { name: asset.name })}</p>
        <input type="hidden" name="intent" value="delete" />
        <button type="submit" className="danger" data-testid="delete-asset">
          {t("common.deletePermanently")}
        </button>
      </Form>
    </details>
  );
}

// --- Editing -----------------------------------------------------------------------

function valueText(field: Data["fields"][number], value: unknown, t: ReturnType<typeof useT>): string {
  if (value === undefined || value === null || value === "") return "—";
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "boolean") return value ? t("asset.yes") : "—";
  return String(value);
}

function ReadOnlyPanel({ data }: { data: Data }) {
  const t = useT();
  const { asset } = data;
  return (
    <section className="card" aria-labelledby="details-heading" data-testid="read-only">
      <h2 id="details-heading">{t("asset.details")}</h2>
      <dl className="facts">
        <dt>{t("asset.tags")}</dt>
        <dd>{asset.tags.length ? asset.tags.join(", ") : t("asset.noTags")}</dd>
        <dt>{t("asset.label")}</dt>
        <dd>{asset.colorLabel ? t(`browse.color.${asset.colorLabel}` as MessageKey) : "—"}</dd>
        {data.fields.map((f) => (
          <div key={f.key} className="contents">
            <dt>{f.label}</dt>
            <dd data-testid={`meta-${f.key}`}>{f.type === "url" && typeof asset.metadata[f.key] === "string" ? <SafeLink href={asset.metadata[f.key] as string} /> : valueText(f, asset.metadata[f.key], t)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Only http(s) links are rendered as links (the domain stores only those, this is belt and braces). */
function SafeLink({ href }: { href: string }) {
  const ok = /^https?:\/\//i.test(href);
  return ok ? (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {href}
    </a>
  ) : (
    <span>{href}</span>
  );
}

function EditPanel({ data }: { data: Data }) {
  const t = useT();
  const { asset } = data;
  const rename = useFormResult("rename");
  const tags = useFormResult("tags");
  const label = useFormResult("label");
  const renameFailure = failureOf(rename);
  const tagFailure = failureOf(tags);
  const labelFailure = failureOf(label);
  return (
    <>
      <section className="card" aria-labelledby="details-heading">
        <h2 id="details-heading">{t("asset.details")}</h2>
        <FormAlert failure={renameFailure} />
        <Form method="post" className="stack" data-testid="rename-form">
          <input type="hidden" name="intent" value="rename" />
          <div className="field">
            <label htmlFor="asset-name">{t("asset.name")}</label>
            <div className="inline-form compact">
              <input
                id="asset-name"
                name="name"
                defaultValue={renameFailure?.values.name ?? asset.name}
                key={asset.name}
                maxLength={255}
                required
                aria-invalid={renameFailure?.error.fields.name ? true : undefined}
                aria-describedby={renameFailure?.error.fields.name ? "asset-name-error" : undefined}
              />
              <button type="submit">{t("asset.rename")}</button>
            </div>
            <FieldError failure={renameFailure} name="name" id="asset-name-error" />
            {rename?.ok ? <small className="ok-text">{t("asset.saved")}</small> : null}
          </div>
        </Form>

        <h3 id="tags-heading">{t("asset.tags")}</h3>
        <FormAlert failure={tagFailure} />
        {asset.tags.length === 0 ? <p className="muted">{t("asset.noTags")}</p> : null}
        <ul className="tag-list" aria-labelledby="tags-heading" data-testid="asset-tags">
          {asset.tags.map((tag) => (
            <li key={tag} data-tag={tag}>
              {tag}
              <Form method="post" className="inline">
                <input type="hidden" name="intent" value="tag-remove" />
                <input type="hidden" name="tag" value={tag} />
                <button type="submit" aria-label={t("asset.removeTag", { tag })} title={t("asset.removeTag", { tag })}>
                  ×
                </button>
              </Form>
            </li>
          ))}
        </ul>
        <Form method="post" className="inline-form compact" key={asset.tags.join("\u0000")}>
          <input type="hidden" name="intent" value="tag-add" />
          <label htmlFor="new-tag" className="visually-hidden">
            {t("asset.newTag")}
          </label>
          <input id="new-tag" name="tag" placeholder={t("asset.newTag")} maxLength={64} required />
          <button type="submit">{t("common.add")}</button>
        </Form>
        <FieldErrorText failure={tagFailure} name="tag" />

        <h3>
          <label htmlFor="asset-label">{t("asset.label")}</label>
        </h3>
        <FormAlert failure={labelFailure} />
        <Form method="post" className="inline-form compact">
          <input type="hidden" name="intent" value="label" />
          <ColorDot color={asset.colorLabel} />
          <select id="asset-label" name="colorLabel" defaultValue={asset.colorLabel ?? "none"} key={asset.colorLabel ?? "none"}>
            <option value="none">{t("browse.color.none")}</option>
            {COLOR_LABELS.map((c) => (
              <option key={c} value={c}>
                {t(`browse.color.${c}` as MessageKey)}
              </option>
            ))}
          </select>
          <button type="submit">{t("common.save")}</button>
          {label?.ok ? <small className="ok-text">{t("asset.saved")}</small> : null}
        </Form>
      </section>
      <MetadataForm data={data} />
    </>
  );
}

function FieldError({ failure, name, id }: { failure: FormFailure | undefined; name: string; id: string }) {
  const text = useUiText();
  const error = failure?.error.fields[name];
  if (!error) return null;
  return (
    <small id={id} className="field-error" data-testid={`error-${name}`}>
      {text(error)}
    </small>
  );
}

function MetadataForm({ data }: { data: Data }) {
  const t = useT();
  const text = useUiText();
  const result = useFormResult<Done>("metadata");
  const failure = failureOf(result);
  const { asset } = data;
  return (
    <section className="card" aria-labelledby="meta-heading">
      <h2 id="meta-heading">{t("asset.metadata")}</h2>
      {data.fields.length === 0 ? (
        <p className="muted">
          {t("asset.noFields")}{" "}
          {data.isTenantAdmin ? <Link to="/admin/metadata-fields">{t("asset.noFieldsAdmin")}</Link> : null}
        </p>
      ) : (
        <Form method="post" className="stack meta-form" data-testid="metadata-form">
          {result?.ok && result.notice ? <Notice testId="metadata-notice">{text(result.notice)}</Notice> : null}
          <FormAlert failure={failure} />
          <input type="hidden" name="intent" value="metadata" />
          {data.fields.map((f) => (
            <MetadataInput key={f.key} field={f} value={asset.metadata[f.key]} failure={failure} />
          ))}
          <button type="submit" className="primary">
            {t("asset.saveMetadata")}
          </button>
        </Form>
      )}
    </section>
  );
}

function MetadataInput({ field, value, failure }: { field: Data["fields"][number]; value: unknown; failure: FormFailure | undefined }) {
  const t = useT();
  const name = `metadata.${field.key}`;
  const id = `meta-${field.key}`;
  const errorId = `${id}-error`;
  const error = failure?.error.fields[name];
  const kept = failure ? failure.values[name] : undefined;
  const common = {
    id,
    name,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? errorId : undefined,
    "data-testid": `input-${field.key}`,
  } as const;
  const stored = value === undefined || value === null ? "" : Array.isArray(value) ? value.join(",") : String(value);
  const initial = kept ?? stored;
  let input: React.ReactNode;
  switch (field.type) {
    case "textarea":
      input = <textarea {...common} defaultValue={initial} maxLength={10_000} rows={4} />;
      break;
    case "number":
      input = <input {...common} type="number" step="any" inputMode="decimal" defaultValue={initial} />;
      break;
    case "date":
      input = <input {...common} type="date" defaultValue={initial} />;
      break;
    case "datetime":
      input = <DateTimeInput common={common} name={name} stored={typeof value === "string" ? value : ""} kept={kept} />;
      break;
    case "url":
      input = <input {...common} type="url" defaultValue={initial} maxLength={2000} />;
      break;
    case "email":
      input = <input {...common} type="email" defaultValue={initial} maxLength={254} />;
      break;
    case "select":
      input = (
        <select {...common} defaultValue={initial}>
          <option value="">—</option>
          {(field.options ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
          {initial && !(field.options ?? []).includes(initial) ? <option value={initial}>{initial}</option> : null}
        </select>
      );
      break;
    case "multiselect": {
      const chosen = new Set(kept !== undefined ? kept.split(",") : Array.isArray(value) ? (value as string[]) : []);
      return (
        <fieldset className="field checks" aria-describedby={error ? errorId : undefined} data-testid={`input-${field.key}`}>
          <legend>{field.label}</legend>
          <input type="hidden" name={`${name}.present`} value="1" />
          {(field.options ?? []).map((o) => (
            <label key={o} className="check">
              <input type="checkbox" name={name} value={o} defaultChecked={chosen.has(o)} /> {o}
            </label>
          ))}
          {error ? <MetaError id={errorId} name={name} failure={failure} /> : null}
        </fieldset>
      );
    }
    case "boolean":
      return (
        <div className="field">
          <input type="hidden" name={`${name}.present`} value="1" />
          <label className="check" htmlFor={id}>
            <input {...common} type="checkbox" defaultChecked={kept !== undefined ? kept === "on" : value === true} /> {field.label}
          </label>
          {error ? <MetaError id={errorId} name={name} failure={failure} /> : null}
        </div>
      );
    default:
      input = <input {...common} type="text" defaultValue={initial} maxLength={1000} />;
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        {field.label} <span className="muted small">({t(`fields.type.${field.type}` as MessageKey)})</span>
      </label>
      {input}
      {field.type === "datetime" ? <small className="muted">{t("asset.timezoneHint")}</small> : null}
      {error ? <MetaError id={errorId} name={name} failure={failure} /> : null}
    </div>
  );
}

function MetaError({ id, name, failure }: { id: string; name: string; failure: FormFailure | undefined }) {
  const text = useUiText();
  const error = failure?.error.fields[name];
  if (!error) return null;
  return (
    <small id={id} className="field-error" data-testid={`error-${name}`}>
      {text(error)}
    </small>
  );
}

/** "+09:00" for a local date-time in this browser's time zone (DST-aware). */
function offsetOf(local: string): string {
  const d = new Date(local);
  if (Number.isNaN(d.getTime())) return "Z";
  const minutes = -d.getTimezoneOffset();
  const sign = minutes >= 0 ? "+" : "-";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * datetime-local with its offset: the server renders UTC (it does not know
 * the browser's zone); once hydrated the value is shown in local time and
 * the offset for the chosen moment travels in `<name>.offset`.
 */
function DateTimeInput({ common, name, stored, kept }: { common: Record<string, unknown>; name: string; stored: string; kept: string | undefined }) {
  const ref = useRef<HTMLInputElement>(null);
  const [offset, setOffset] = useState("Z");
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (kept === undefined && stored) el.value = toLocalInput(stored);
    setOffset(el.value ? offsetOf(el.value) : offsetOf(new Date().toISOString().slice(0, 16)));
  }, [stored, kept]);
  const initial = kept ?? (stored ? stored.slice(0, 16) : "");
  return (
    <>
      <input ref={ref} {...common} type="datetime-local" defaultValue={initial} onChange={(e) => setOffset(offsetOf(e.currentTarget.value))} />
      <input type="hidden" name={`${name}.offset`} value={offset} />
    </>
  );
}
