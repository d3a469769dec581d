/**
 * The asset page's technical metadata panel: container, streams, timecode and
 * camera facts as read by app/.server/assets/technical. Shared by every screen
 * that shows an asset's technical facts.
 */
import type { MessageKey } from "~/i18n/messages";
import { useLocale, useT, type T } from "~/i18n/use-t";
import { formatBitRate, formatDuration, formatFrameRate, formatResolution, formatSampleRate } from "~/components/assets/format";
import { formatAperture, formatCameraDateTime, formatFocalLength, formatShutter } from "~/components/assets/technical-format";
import type { z } from "zod";
import { PROBLEM_CODES, type ProblemCode, type TechnicalSchema } from "~/schemas/assets";

type TechnicalMetadata = z.infer<typeof TechnicalSchema>;
type Track = NonNullable<TechnicalMetadata["tracks"]>[number];

/**
 * A stored problem as text in the user's language. `problemCode` (from the
 * Asset) picks the translated sentence; problems stored before codes existed
 * have no code and keep their original (English) text.
 */
export function problemText(t: T, asset: { problem: string | null; problemCode?: ProblemCode | null }): string | null {
  const code = asset.problemCode;
  if (code && (PROBLEM_CODES as readonly string[]).includes(code)) return t(`asset.problemCode.${code}` as MessageKey);
  return asset.problem;
}

/**
 * The problem sentence for the asset page (status "failed" banner and the file
 * facts), with the English technical detail folded away for support.
 */
export function AssetProblem({ asset }: { asset: { problem: string | null; problemCode?: ProblemCode | null } }) {
  const t = useT();
  const text = problemText(t, asset);
  if (!text) return null;
  const detail = asset.problemCode && asset.problem && asset.problem !== asset.problemCode ? asset.problem : null;
  return (
    <span data-testid="problem-text" data-problem-code={asset.problemCode ?? undefined}>
      {text}
      {detail ? (
        <details className="problem-detail">
          <summary>{t("asset.problemDetail")}</summary>
          <code lang="en">{detail}</code>
        </details>
      ) : null}
    </span>
  );
}

function trackSummary(track: Track, t: T): string {
  const parts = [track.codecName ?? track.codec];
  if (track.width && track.height) parts.push(formatResolution(track.width, track.height));
  if (track.frameRate) parts.push(`${formatFrameRate(track.frameRate)} fps`);
  if (track.channels) parts.push(t("asset.channelCount", { count: track.channels }));
  if (track.sampleRate) parts.push(formatSampleRate(track.sampleRate));
  if (track.bitDepth) parts.push(t("asset.bits", { bits: track.bitDepth }));
  return parts.filter(Boolean).join(" · ");
}

function codecText(id: string | undefined, name: string | undefined): React.ReactNode {
  if (name && id)
    return (
      <>
        {name} <span className="muted">({id})</span>
      </>
    );
  return name ?? id;
}

export function TechnicalTable({ technical: tech }: { technical: TechnicalMetadata }) {
  const t = useT();
  const locale = useLocale();
  const exif = tech.exif;
  const gps = exif?.gps;
  const rows: [MessageKey, React.ReactNode][] = [];
  if (tech.container) rows.push(["asset.container", tech.container]);
  if (tech.durationSeconds !== undefined) rows.push(["asset.duration", formatDuration(tech.durationSeconds)]);
  if (tech.width && tech.height) rows.push(["asset.resolution", formatResolution(tech.width, tech.height)]);
  if (tech.frameRate) rows.push(["asset.frameRate", `${formatFrameRate(tech.frameRate)} fps`]);
  if (tech.videoCodec || tech.videoCodecName) rows.push(["asset.videoCodec", codecText(tech.videoCodec, tech.videoCodecName)]);
  if (tech.videoBitDepth) rows.push(["asset.videoBitDepth", t("asset.bits", { bits: tech.videoBitDepth })]);
  if (tech.audioCodec) rows.push(["asset.audioCodec", tech.audioCodec]);
  if (tech.audioChannels) rows.push(["asset.channels", String(tech.audioChannels)]);
  if (tech.audioSampleRate) rows.push(["asset.sampleRate", formatSampleRate(tech.audioSampleRate)]);
  if (tech.audioBitDepth) rows.push(["asset.audioBitDepth", t("asset.bits", { bits: tech.audioBitDepth })]);
  if (tech.tracks?.length) {
    rows.push([
      "asset.tracks",
      <ol key="tracks" className="plain-list">
        {tech.tracks.map((track, i) => (
          <li key={i}>
            {t(track.kind === "video" ? "asset.trackVideo" : "asset.trackAudio", { n: i + 1 })}: {trackSummary(track, t)}
          </li>
        ))}
      </ol>,
    ]);
  }
  if (tech.bitRate) rows.push(["asset.bitRate", formatBitRate(tech.bitRate)]);
  if (tech.startTimecode) rows.push(["asset.timecode", <code key="tc">{tech.startTimecode}</code>]);
  if (exif?.make || exif?.model) rows.push(["asset.camera", [exif.make, exif.model].filter(Boolean).join(" ")]);
  if (exif?.lensMake || exif?.lensModel) {
    // Lens models usually repeat the make ("Apple" / "iPhone 13 Pro Max back …"): show the make once.
    const lens =
      exif.lensModel && exif.lensMake && exif.lensModel.startsWith(exif.lensMake) ? exif.lensModel : [exif.lensMake, exif.lensModel].filter(Boolean).join(" ");
    rows.push(["asset.lens", lens]);
  }
  if (exif?.dateTimeOriginal) {
    rows.push([
      "asset.shotAt",
      <time key="shot" dateTime={exif.dateTimeOriginal}>
        {formatCameraDateTime(exif.dateTimeOriginal, locale)}
      </time>,
    ]);
  }
  if (exif?.iso) rows.push(["asset.iso", `ISO ${exif.iso}`]);
  if (exif?.fNumber) rows.push(["asset.aperture", formatAperture(exif.fNumber)]);
  if (exif?.exposureTime) rows.push(["asset.shutter", formatShutter(exif.exposureTime)]);
  if (exif?.focalLength) {
    const equivalent = exif.focalLength35mm ? ` (${t("asset.focal35", { mm: exif.focalLength35mm })})` : "";
    rows.push(["asset.focalLength", `${formatFocalLength(exif.focalLength)}${equivalent}`]);
  }
  if (gps && Number.isFinite(gps.latitude) && Number.isFinite(gps.longitude)) {
    const lat = gps.latitude.toFixed(6);
    const lon = gps.longitude.toFixed(6);
    rows.push([
      "asset.gps",
      <span key="gps">
        {lat}, {lon}
        {gps.altitude !== undefined ? ` (${Math.round(gps.altitude)} m)` : ""}{" "}
        <a
          href={`https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`}
          target="_blank"
          rel="noopener noreferrer"
          data-testid="osm-link"
        >
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
