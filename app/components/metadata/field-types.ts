/** What the screens know of a tenant's metadata field, and how its type and values read. */
import type { MessageKey } from "~/i18n/messages";
import type { useT } from "~/i18n/use-t";

export type MetadataFieldDef = { key: string; label: string; type: string; options: string[] | null };

type T = ReturnType<typeof useT>;

/** "Number", "数値", … (the type's name in the user's language). */
export function fieldTypeLabel(t: T, type: string): string {
  return t(`fields.type.${type}` as MessageKey);
}

/** A stored value as text ("—" for none; a boolean false also reads as none). */
export function metadataValueText(value: unknown, t: T): string {
  if (value === undefined || value === null || value === "") return "—";
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "boolean") return value ? t("asset.yes") : "—";
  return String(value);
}
