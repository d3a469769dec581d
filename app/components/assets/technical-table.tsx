/**
 * The asset page's technical metadata panel: container, streams, timecode and
 * camera facts as read by app/.server/assets/technical. Shared by every screen
 * that shows an asset's technical facts.
 */
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { formatBitRate, formatDuration, formatFrameRate, formatResolution, formatSampleRate } from "~/components/assets/format";
import type { z } from "zod";
import type { TechnicalSchema } from "~/schemas/assets";

type TechnicalMetadata = z.infer<typeof TechnicalSchema>;

export function TechnicalTable({ technical: tech }: { technical: TechnicalMetadata }) {
  const t = useT();
  const exif = tech.exif;
  const gps = exif?.gps;
  const rows: [MessageKey, React.ReactNode][] = [];
  if (tech.container) rows.push(["asset.container", tech.container]);
  if (tech.durationSeconds !== undefined) rows.push(["asset.duration", formatDuration(tech.durationSeconds)]);
  if (tech.width && tech.height) rows.push(["asset.resolution", formatResolution(tech.width, tech.height)]);
  if (tech.frameRate) rows.push(["asset.frameRate", `${formatFrameRate(tech.frameRate)} fps`]);
  if (tech.videoCodec) rows.push(["asset.videoCodec", tech.videoCodec]);
  if (tech.audioCodec) rows.push(["asset.audioCodec", tech.audioCodec]);
  if (tech.audioChannels) rows.push(["asset.channels", String(tech.audioChannels)]);
  if (tech.audioSampleRate) rows.push(["asset.sampleRate", formatSampleRate(tech.audioSampleRate)]);
  if (tech.bitRate) rows.push(["asset.bitRate", formatBitRate(tech.bitRate)]);
  if (tech.startTimecode) rows.push(["asset.timecode", <code key="tc">{tech.startTimecode}</code>]);
  if (exif?.make || exif?.model) rows.push(["asset.camera", [exif.make, exif.model].filter(Boolean).join(" ")]);
  if (exif?.dateTimeOriginal) rows.push(["asset.shotAt", exif.dateTimeOriginal]);
  if (gps && Number.isFinite(gps.latitude) && Number.isFinite(gps.longitude)) {
    const lat = gps.latitude.toFixed(6);
    const lon = gps.longitude.toFixed(6);
    rows.push([
      "asset.gps",
      <span key="gps">
        {lat}, {lon}
        {gps.altitude !== undefined ? ` (${Math.round(gps.altitude)} m)` : ""}{" "}
        <a href={`https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`} target="_blank" rel="noopener noreferrer" data-testid="osm-link">
          {t("asset.openMap")}
        </a>
      </span>,
    ]);
  }
  return (
    <section className="card" aria-labelledby="tech-heading">
      <h2 id="tech-heading">{t("asset.technical")}</h2>
      {rows.length === 0 ? (
        <p className="muted">{t("asset.noTechnical")}</p>
      ) : (
        <dl className="facts tech" data-testid="technical">
          {rows.map(([key, value]) => (
            <div key={key} className="contents" data-field={key}>
              <dt>{t(key)}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
