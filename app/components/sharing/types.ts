import type { ShareListItem, SharePolicy } from "~/schemas/review";

/** A share on the shares screens: the API's list item and the first few names of what it holds. */
export type ListedShare = ShareListItem & { assetNames: string[] };

/** What a share form starts from: the tenant's policy and the expiry's bounds as `datetime-local` values in the viewer's zone. */
export type ShareFormSettings = {
  policy: SharePolicy;
  timeZone: string;
  longestDays: number;
  expiry: { value: string; min: string; max: string };
};

export type QrCodeData = { size: number; path: string };

/** The links of a share just made, shown once (with the made password, if any). */
export type CreatedShare = {
  id: string;
  projectId: string;
  password: string | null;
  notified: number;
  links: { recipientEmail: string | null; url: string; qr: QrCodeData }[];
};

export type ShareCreated = { ok: true; form: "share-create"; created: CreatedShare };

/** The page form of one share's buttons on the shares screens (its notices and errors). */
export const shareRowForm = (shareId: string) => `share:${shareId}`;
