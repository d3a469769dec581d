/**
 * The guest portal's list of files (/s/<token>, issue #14): the page server-renders the first
 * page and fetches the next ones from the guest API's /web/v1 mirror as the guest scrolls.
 */

/** Files per page, the first server-rendered: the contract's default page size. */
export const GUEST_PORTAL_PAGE = 50;

/**
 * What a card shows of a file. The loader's data is written into the HTML, and the technical
 * metadata the card does not show was nearly half of it.
 */
export type PortalFile = { id: string; name: string; kind: string; size: number; status: string; hasThumbnail: boolean };

export const portalFile = ({ id, name, kind, size, status, hasThumbnail }: PortalFile): PortalFile => ({ id, name, kind, size, status, hasThumbnail });
