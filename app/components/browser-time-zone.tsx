import { TIME_ZONE_COOKIE } from "~/i18n/time-zone";

/**
 * Tells the server the browser's time zone through a cookie, for the pages
 * that follow (ADR 0023). Inline with the CSP nonce, so it runs before the
 * bundle loads; it changes nothing on the page, so hydration sees the
 * server's times. It writes only when the zone differs (first visit, travel).
 */
const SCRIPT =
  `try{var z=encodeURIComponent(Intl.DateTimeFormat().resolvedOptions().timeZone||"");` +
  `if(z&&("; "+document.cookie).indexOf("; ${TIME_ZONE_COOKIE}="+z)<0)` +
  `document.cookie="${TIME_ZONE_COOKIE}="+z+";path=/;max-age=31536000;samesite=lax"+(location.protocol==="https:"?";secure":"")}catch(e){}`;

export function BrowserTimeZoneScript({ nonce }: { nonce: string | undefined }) {
  return <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: SCRIPT }} />;
}
