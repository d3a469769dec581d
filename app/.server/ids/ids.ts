import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";

/**
 * Opaque, prefixed, 128-bit random ids (e.g. "tnt_5r2…"). The prefix names the
 * kind for humans and logs; nothing may parse meaning out of the rest.
 */
export const ID_PREFIXES = {
  tenant: "tnt",
  announcement: "ann",
  email: "eml",
  user: "usr",
  group: "grp",
  role: "rol",
  project: "prj",
  apiToken: "tok",
  metadataField: "fld",
  folder: "fol",
  asset: "ast",
  upload: "upl",
  savedSearch: "svs",
  operator: "opr",
  operatorEvent: "ope",
  mediaJob: "mjb",
  marker: "mrk",
  collection: "col",
  share: "shr",
  shareLink: "shl",
  downloadSlot: "dsl",
  approval: "apv",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

export function newId(kind: IdKind): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `${ID_PREFIXES[kind]}_${encodeBase32LowerCaseNoPadding(bytes)}`;
}

/** Shape check for ids arriving in URLs: anything else is simply "not found". */
export const ID_PATTERN = /^[a-z]{3}_[a-z2-7]{26}$/;

export function isId(value: string, kind: IdKind): boolean {
  return ID_PATTERN.test(value) && value.startsWith(`${ID_PREFIXES[kind]}_`);
}
