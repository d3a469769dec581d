/**
 * The limits of a thumbnail, wherever it comes from (the uploader's browser, thumbnails.server.ts;
 * the transcoder, media/outputs.server.ts). A module of its own: the media outputs must not import
 * the thumbnail endpoints, which import (through the assets) the media jobs.
 */
export const MAX_THUMBNAIL_BYTES = 256 * 1024;
export const MAX_THUMBNAIL_EDGE = 512;
