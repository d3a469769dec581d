import { z } from "zod";
import { isTimeZone } from "~/i18n/time-zone";
import { reasoned } from "./error-reasons";

/**
 * An IANA time zone the runtime knows (Intl.supportedValuesOf("timeZone"),
 * plus UTC). Shared by the API, the account form and the tenant settings form.
 */
export const TimeZoneSchema = z
  .string()
  .refine(isTimeZone, reasoned("Not a time zone Kura knows: use an IANA name such as Asia/Tokyo.", "time_zone_unknown"))
  .describe("IANA time zone, e.g. Asia/Tokyo");

/** A setting that may be cleared: null means "not chosen" (the next rule decides). */
export const TimeZoneSettingSchema = TimeZoneSchema.nullable().optional();

/** The same on a form, whose "default" option sends "". */
export const TimeZoneFormField = z.preprocess((v) => (v === "" ? null : v), TimeZoneSettingSchema);
