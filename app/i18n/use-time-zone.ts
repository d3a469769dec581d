import { useRouteLoaderData } from "@remix-run/react";
import { FALLBACK_TIME_ZONE, isTimeZone } from "./time-zone";

/** The zone the root loader decided for this viewer (ADR 0023); the same on server and browser. */
export function useTimeZone(): string {
  const data = useRouteLoaderData("root") as { timeZone?: unknown } | undefined;
  return isTimeZone(data?.timeZone) ? data.timeZone : FALLBACK_TIME_ZONE;
}
