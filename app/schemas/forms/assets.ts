/**
 * Asset screens: the browse page's URL (filters, sort, folder) and the forms
 * of the browse and detail pages. Shared by the loaders/actions and the
 * browser.
 */
import { z } from "zod";
import { METADATA_FIELD_TYPES } from "../admin";
import { ASSET_KINDS, ASSET_SORTS, COLOR_LABELS, type ListAssetsQuery } from "../assets";
import {
  DisplayNameSchema,
  MetadataFieldKeySchema,
  MetadataFieldLabelSchema,
  MetadataOptionSchema,
  SavedSearchNameSchema,
  SearchTextSchema,
  TagSchema,
} from "../names";
import { formField, id, optionalFormField } from "./fields";
import { dayRangeInZone } from "~/i18n/time-zone";

// --- The browse URL ----------------------------------------------------------

const folderId = z.string().regex(/^fol_[a-z2-7]{26}$/);
const optionalNumber = z.preprocess((v) => (v === "" || v === undefined ? undefined : v), z.coerce.number().min(0).max(1e9).optional());
const optionalDate = z.preprocess((v) => (v === "" ? undefined : v), z.iso.date().optional());
const list = <T extends z.ZodType>(item: T, max: number) => z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(item).max(max));

/**
 * Query parameters of /projects/:projectId. The filter names are the API's
 * (`q`, `kind`, `tag`, `colorLabel`, `minDuration`, …) so the browser can
 * pass them on unchanged; `folder` is the folder being browsed and `scope`
 * widens the listing to the whole project. `metaKey`/`metaValue` come from
 * the filter form and are folded into `meta`.
 */
export const BrowseParamsSchema = z.object({
  folder: folderId.optional().catch(undefined),
  scope: z.enum(["folder", "project"]).catch("folder"),
  q: SearchTextSchema.optional().catch(undefined),
  kind: z.enum(ASSET_KINDS).optional().catch(undefined),
  tag: list(TagSchema, 20).catch([]),
  colorLabel: z.enum(COLOR_LABELS).optional().catch(undefined),
  minDuration: optionalNumber.catch(undefined),
  maxDuration: optionalNumber.catch(undefined),
  minWidth: optionalNumber.catch(undefined),
  minHeight: optionalNumber.catch(undefined),
  createdFrom: optionalDate.catch(undefined),
  createdTo: optionalDate.catch(undefined),
  meta: list(
    z
      .string()
      .max(300)
      .regex(/^[a-z][a-z0-9_]{0,39}:/),
    20,
  ).catch([]),
  sort: z.enum(ASSET_SORTS).catch("-createdAt"),
});

export type BrowseParams = z.output<typeof BrowseParamsSchema>;

/** URL search params → BrowseParams (invalid values are dropped, never an error page). */
export function parseBrowseParams(search: URLSearchParams): BrowseParams {
  // Object.fromEntries: a "__proto__" parameter is an own key, never the prototype.
  const obj: Record<string, unknown> = Object.fromEntries(
    [...new Set(search.keys())].flatMap((key) => {
      const all = search.getAll(key).filter((v) => v !== "");
      return all.length ? [[key, all.length > 1 ? all : all[0]]] : [];
    }),
  );
  const metaKey = search.get("metaKey");
  const metaValue = search.get("metaValue");
  if (metaKey && metaValue) obj.meta = [...(Array.isArray(obj.meta) ? obj.meta : obj.meta ? [obj.meta] : []), `${metaKey}:${metaValue}`];
  return BrowseParamsSchema.parse(obj);
}

/** BrowseParams → URL search params (defaults left out, so URLs stay short). */
export function browseSearch(p: Partial<BrowseParams>): URLSearchParams {
  const s = new URLSearchParams();
  if (p.folder) s.set("folder", p.folder);
  if (p.scope === "project") s.set("scope", "project");
  if (p.q) s.set("q", p.q);
  if (p.kind) s.set("kind", p.kind);
  for (const t of p.tag ?? []) s.append("tag", t);
  if (p.colorLabel) s.set("colorLabel", p.colorLabel);
  if (p.minDuration !== undefined) s.set("minDuration", String(p.minDuration));
  if (p.maxDuration !== undefined) s.set("maxDuration", String(p.maxDuration));
  if (p.minWidth !== undefined) s.set("minWidth", String(p.minWidth));
  if (p.minHeight !== undefined) s.set("minHeight", String(p.minHeight));
  if (p.createdFrom) s.set("createdFrom", p.createdFrom);
  if (p.createdTo) s.set("createdTo", p.createdTo);
  for (const m of p.meta ?? []) s.append("meta", m);
  if (p.sort && p.sort !== "-createdAt") s.set("sort", p.sort);
  return s;
}

export function hasFilters(p: BrowseParams): boolean {
  return Boolean(
    p.q ||
    p.kind ||
    p.tag.length ||
    p.colorLabel ||
    p.minDuration !== undefined ||
    p.maxDuration !== undefined ||
    p.minWidth !== undefined ||
    p.minHeight !== undefined ||
    p.createdFrom ||
    p.createdTo ||
    p.meta.length,
  );
}

/**
 * The listing query (API names): the folder being browsed unless the scope
 * is the whole project; the form's dates are inclusive days in the viewer's
 * zone, so the API gets the instants from the first day's midnight to the
 * midnight after the last day there.
 */
export function toListQuery(p: BrowseParams, limit: number, timeZone: string): Omit<ListAssetsQuery, "cursor"> {
  const created = dayRangeInZone({ from: p.createdFrom, to: p.createdTo }, timeZone);
  return {
    folderId: p.scope === "project" ? undefined : (p.folder ?? "root"),
    q: p.q || undefined,
    kind: p.kind,
    tag: p.tag.length ? p.tag : undefined,
    colorLabel: p.colorLabel,
    minDuration: p.minDuration,
    maxDuration: p.maxDuration,
    minWidth: p.minWidth,
    minHeight: p.minHeight,
    createdFrom: created.from,
    createdTo: created.to,
    meta: p.meta.length ? p.meta : undefined,
    sort: p.sort,
    limit,
    status: undefined,
  };
}

/** What a saved search stores (the contract's SavedSearchQuery) from the browse params. */
export function savedQueryOf(p: BrowseParams) {
  return {
    ...(p.q ? { q: p.q } : {}),
    ...(p.scope === "folder" && p.folder ? { folderId: p.folder } : {}),
    ...(p.tag.length ? { tag: p.tag } : {}),
    ...(p.kind ? { kind: p.kind } : {}),
    ...(p.colorLabel ? { colorLabel: p.colorLabel } : {}),
    ...(p.minDuration !== undefined ? { minDuration: p.minDuration } : {}),
    ...(p.maxDuration !== undefined ? { maxDuration: p.maxDuration } : {}),
    ...(p.minWidth !== undefined ? { minWidth: p.minWidth } : {}),
    ...(p.minHeight !== undefined ? { minHeight: p.minHeight } : {}),
    ...(p.createdFrom ? { createdFrom: p.createdFrom } : {}),
    ...(p.createdTo ? { createdTo: p.createdTo } : {}),
    ...(p.meta.length ? { meta: p.meta } : {}),
    ...(p.sort !== "-createdAt" ? { sort: p.sort } : {}),
  };
}

/** A saved search back into browse params (scope: its folder if it has one, else the whole project). */
export function paramsOfSaved(query: Record<string, unknown>): URLSearchParams {
  const s = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const name = key === "folderId" ? "folder" : key;
    if (Array.isArray(value)) for (const v of value) s.append(name, String(v));
    else s.set(name, String(value));
  }
  if (!("folderId" in query)) s.set("scope", "project");
  return s;
}

// --- Forms of the browse page ---------------------------------------------

/** A selection travels as one comma-separated field (thousands of hidden inputs would be slow). */
export const assetIdList = (max: number) =>
  z
    .string({ error: "v.selection" })
    .transform((s) =>
      s
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().regex(/^ast_[a-z2-7]{26}$/, "v.selection"))
        .min(1, "v.selection")
        .max(max, "v.selectionTooLarge"),
    );

// The API's field schemas (app/schemas/names.ts); the form adds only "missing = empty".
const displayName = formField(DisplayNameSchema);
const tagText = formField(TagSchema);
const optionalFolder = z.preprocess((v) => (v === "" || v === "root" ? null : v), folderId.nullable());

export const FolderCreateFormSchema = z.object({ intent: z.literal("folder-create"), name: displayName, parentId: optionalFolder });
export const FolderRenameFormSchema = z.object({ intent: z.literal("folder-rename"), folderId: id, name: displayName });
export const FolderMoveFormSchema = z.object({ intent: z.literal("folder-move"), folderId: id, parentId: optionalFolder });
export const FolderDeleteFormSchema = z.object({ intent: z.literal("folder-delete"), folderId: id });

export const SearchSaveFormSchema = z.object({
  intent: z.literal("search-save"),
  name: formField(SavedSearchNameSchema),
  search: z.string().max(4000).default(""),
});
export const SearchDeleteFormSchema = z.object({ intent: z.literal("search-delete"), savedSearchId: id });

export const BulkTagFormSchema = z.object({ intent: z.enum(["bulk-tag-add", "bulk-tag-remove"]), assetIds: assetIdList(10_000), tag: tagText });
export const BulkLabelFormSchema = z.object({
  intent: z.literal("bulk-label"),
  assetIds: assetIdList(10_000),
  colorLabel: z.preprocess((v) => (v === "" || v === "none" ? null : v), z.enum(COLOR_LABELS, { error: "v.required" }).nullable()),
});
export const BulkMetadataFormSchema = z.object({
  intent: z.literal("bulk-metadata"),
  assetIds: assetIdList(10_000),
  field: formField(MetadataFieldKeySchema),
  value: z.string().max(10_000, "v.tooLong").default(""),
});
export const BulkMoveFormSchema = z.object({ intent: z.literal("bulk-move"), assetIds: assetIdList(10_000), folderId: optionalFolder });
export const BulkDeleteFormSchema = z.object({ intent: z.literal("bulk-delete"), assetIds: assetIdList(1_000) });
export const ZipFormSchema = z.object({ assetIds: assetIdList(1_000), name: optionalFormField(DisplayNameSchema) });

// --- Forms of the asset page -------------------------------------------------

export const AssetRenameFormSchema = z.object({ intent: z.literal("rename"), name: displayName });
export const AssetTagFormSchema = z.object({ intent: z.enum(["tag-add", "tag-remove"]), tag: tagText });
export const AssetLabelFormSchema = z.object({
  intent: z.literal("label"),
  colorLabel: z.preprocess((v) => (v === "" || v === "none" ? null : v), z.enum(COLOR_LABELS, { error: "v.required" }).nullable()),
});
export const AssetDeleteFormSchema = z.object({ intent: z.literal("delete") });
/** The metadata form: `metadata.<key>` fields, typed by the tenant's definitions (see metadataPatchOf). */
export const AssetMetadataFormSchema = z.looseObject({ intent: z.literal("metadata") });

type FieldDef = { key: string; type: string; options: string[] | null };
type Value = string | number | boolean | string[] | null;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Typed yes and no, as a text input or a spreadsheet cell says them (the metadata CSV import reads them too). */
export const YES_TEXT = /^(true|yes|1|on|はい)$/i;
export const NO_TEXT = /^(false|no|0|off|いいえ)$/i;
const LOCAL_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/**
 * One typed metadata value from a form, the input named `name` rendered by
 * MetadataInput (app/components/metadata): the same parse for the asset
 * page (`metadata.<key>`) and the browse page's bulk bar (`value`).
 * Checkboxes (boolean, multiselect) send `<name>.present` so that "none
 * ticked" can be told from "not on this form"; without it a typed text is
 * read ("yes"/"いいえ", comma-separated options). An emptied value is null
 * (removed). Values are passed on as typed as the form allows; the domain
 * checks them against the field. `absent` when the form does not carry it.
 */
export function metadataValueOf(field: FieldDef, form: FormData, name: string): { absent: true } | { absent: false; value: Value } {
  const present = form.get(`${name}.present`) !== null;
  const raw = form.get(name);
  const text = typeof raw === "string" ? raw.trim() : null;
  if (field.type === "boolean") {
    if (present) return { absent: false, value: raw !== null };
    if (text === null) return { absent: true };
    return { absent: false, value: text === "" ? null : YES_TEXT.test(text) ? true : NO_TEXT.test(text) ? false : text };
  }
  if (field.type === "multiselect") {
    const values = present
      ? form.getAll(name).filter((v): v is string => typeof v === "string")
      : (text ?? "")
          .split(",")
          .map((v) => v.trim())
          .filter(Boolean);
    if (!present && text === null) return { absent: true };
    return { absent: false, value: values.length ? values : null };
  }
  if (text === null) return { absent: true };
  if (text === "") return { absent: false, value: null };
  const value = raw as string;
  if (field.type === "number") return { absent: false, value: Number.isFinite(Number(text)) ? Number(text) : value };
  if (field.type === "datetime" && LOCAL_DATETIME.test(value)) {
    // datetime-local has no offset: the page adds the browser's (`.offset`); without JavaScript it is UTC.
    const offset = form.get(`${name}.offset`);
    return { absent: false, value: `${value}${typeof offset === "string" && /^[+-]\d{2}:\d{2}$/.test(offset) ? offset : "Z"}` };
  }
  return { absent: false, value };
}

/**
 * The metadata patch from the asset page's form: only keys whose value
 * changed, an emptied field becomes null (removed).
 */
export function metadataPatchOf(fields: readonly FieldDef[], form: FormData, current: Record<string, unknown>): Record<string, Value> {
  const patch: Record<string, Value> = {};
  for (const f of fields) {
    const parsed = metadataValueOf(f, form, `metadata.${f.key}`);
    if (parsed.absent) continue;
    const next = parsed.value;
    const was = f.type === "boolean" ? (current[f.key] ?? false) : current[f.key];
    if (typeof next === "string" && f.type === "datetime" && typeof was === "string" && new Date(next).getTime() === new Date(was).getTime()) continue;
    if (!same(was, next)) patch[f.key] = next;
  }
  return patch;
}

// --- Metadata field admin ------------------------------------------------------

/** Options as typed in a textarea: one per line. */
const optionLines = z
  .string()
  .max(20_000, "v.tooLong")
  .optional()
  .transform((s) =>
    (s ?? "")
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean),
  )
  .pipe(z.array(MetadataOptionSchema).max(200, "v.tooMany"));

export const FieldCreateFormSchema = z
  .object({
    intent: z.literal("create"),
    key: formField(MetadataFieldKeySchema),
    label: formField(MetadataFieldLabelSchema),
    type: z.enum(METADATA_FIELD_TYPES, { error: "v.required" }),
    options: optionLines,
  })
  .superRefine((v, ctx) => {
    const takes = v.type === "select" || v.type === "multiselect";
    if (takes && v.options.length === 0) ctx.addIssue({ code: "custom", path: ["options"], message: "v.optionsRequired" });
    if (takes && new Set(v.options).size !== v.options.length) ctx.addIssue({ code: "custom", path: ["options"], message: "v.optionsDistinct" });
  });

export const FieldUpdateFormSchema = z
  .object({
    intent: z.literal("update"),
    fieldId: id,
    label: formField(MetadataFieldLabelSchema),
    options: optionLines,
    takesOptions: z.enum(["yes", "no"]).default("no"),
  })
  .superRefine((v, ctx) => {
    if (v.takesOptions === "yes" && v.options.length === 0) ctx.addIssue({ code: "custom", path: ["options"], message: "v.optionsRequired" });
    if (new Set(v.options).size !== v.options.length) ctx.addIssue({ code: "custom", path: ["options"], message: "v.optionsDistinct" });
  });

export const FieldDeleteFormSchema = z.object({ intent: z.literal("delete"), fieldId: id });

// --- Collections (issue #14) ---------------------------------------------------

export const CollectionCreateFormSchema = z.object({ intent: z.literal("collection-create"), name: formField(DisplayNameSchema) });
export const CollectionAddFormSchema = z.object({ intent: z.literal("collection-add"), assetIds: assetIdList(200), collectionId: id });
export const CollectionRenameFormSchema = z.object({ intent: z.literal("rename"), name: formField(DisplayNameSchema) });
export const CollectionRemoveAssetFormSchema = z.object({ intent: z.literal("remove-asset"), assetId: id });
