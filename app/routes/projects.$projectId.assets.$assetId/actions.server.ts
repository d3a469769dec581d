import { redirect } from "@remix-run/cloudflare";
import { requireProjectIntent } from "~/.server/access/permissions.server";
import { deleteAsset, getAsset, updateAsset } from "~/.server/assets/assets.server";
import type { KuraContext } from "~/.server/context";
import { fail } from "~/.server/http/errors.server";
import { parseFormData } from "~/.server/http/validation.server";
import { listMetadataFields } from "~/.server/metadata/fields.server";
import { retryMedia } from "~/.server/media/media.server";
import { attempt, validationFailure } from "~/.server/ui/forms.server";
import { pages } from "~/components/assets/urls";
import type { FormFailure } from "~/components/form-types";
import {
  AssetDeleteFormSchema,
  AssetLabelFormSchema,
  AssetMetadataFormSchema,
  AssetRenameFormSchema,
  AssetTagFormSchema,
  metadataPatchOf,
} from "~/schemas/forms/assets";
import { INTENT_CAPABILITY } from "./intents";
import type { Done } from "./types";

/** The asset, only through its own project's URL (another project's id is a 404). */
export async function assetInProject(context: KuraContext, projectId: string, assetId: string) {
  const asset = await getAsset(context, assetId);
  if (asset.projectId !== projectId) fail("not_found", "No such asset.");
  return asset;
}

/** The asset page's buttons: the same guards as the loader, before anything is read or written. */
export async function assetAction(context: KuraContext, projectId: string, assetId: string, formData: FormData): Promise<Done | FormFailure | Response> {
  const intent = await requireProjectIntent(context, projectId, formData, INTENT_CAPABILITY);
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
      const patch = metadataPatchOf(await listMetadataFields(context), formData, asset.metadata);
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
    case "retry-media": {
      const result = await attempt("retry-media", formData, () => retryMedia(context, assetId));
      return result.ok ? { ok: true, form: "retry-media", notice: { key: "media.retryQueued" } } : result;
    }
  }
}
