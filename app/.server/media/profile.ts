/**
 * The transcoder profile version Kura asks for (transcoder/src/profiles.mjs PROFILE_VERSION; a
 * unit test keeps the two equal). Jobs remember the version their outputs were made with.
 */
export const PROFILE_VERSION = 1;
