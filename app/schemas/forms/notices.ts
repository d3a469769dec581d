import { z } from "zod";
import { SAME_SITE_PATH } from "./fields";

/** Announcement ids as Kura makes them (`ann_…`): nothing else ever goes into the hidden-notices cookie. */
export const NoticeIdSchema = z.string().regex(/^ann_[a-z2-7]{26}$/);

export const HideNoticeFormSchema = z.object({
  id: NoticeIdSchema,
  redirectTo: z.string().regex(SAME_SITE_PATH).max(2048).catch("/notices"),
});

/** A browser's hidden banners: at most this many ids, newest kept. */
export const MAX_HIDDEN_NOTICES = 20;
export const HIDDEN_NOTICES_COOKIE = "kura_notices_hidden";

/** The ids in the cookie header that are well-formed announcement ids. */
export function hiddenNoticeIds(cookieHeader: string | null): string[] {
  const match = new RegExp(`(?:^|;\\s*)${HIDDEN_NOTICES_COOKIE}=([^;]*)`).exec(cookieHeader ?? "");
  if (!match) return [];
  return decodeURIComponent(match[1]!)
    .split(".")
    .filter((id) => NoticeIdSchema.safeParse(id).success)
    .slice(-MAX_HIDDEN_NOTICES);
}
