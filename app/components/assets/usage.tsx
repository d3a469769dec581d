/**
 * The usage widget of the admin overview: storage against the quota, asset
 * count, per-project figures and a 30-day history drawn as inline SVG (no
 * chart library; SVG attributes, not inline styles, so the CSP holds).
 */
import { numberFormat } from "~/i18n/intl-formats";
import { Link } from "@remix-run/react";
import { intlLocale, type Locale } from "~/i18n/locale";
import { useLocale, useT } from "~/i18n/use-t";
import { formatBytes, formatDay, formatNumber } from "./format";

export type Usage = {
  bytes: number;
  assets: number;
  quotaBytes: number;
  reservedBytes: number;
  projects: { projectId: string; name: string; bytes: number; assets: number }[];
  history: { date: string; bytes: number; assets: number }[];
};

function percent(part: number, whole: number, locale: Locale): string {
  if (whole <= 0) return "—";
  return numberFormat(intlLocale(locale), { style: "percent", maximumFractionDigits: 1 }).format(part / whole);
}

/** A round axis maximum: 1, 2 or 5 × 10ⁿ (decimal bytes, like the labels). */
function niceMax(value: number): number {
  if (value <= 0) return 1000;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

export function UsageWidget({ usage }: { usage: Usage }) {
  const t = useT();
  const locale = useLocale();
  const used = usage.bytes;
  const ratio = usage.quotaBytes > 0 ? Math.min(1, used / usage.quotaBytes) : 0;
  const level = ratio >= 0.95 ? "full" : ratio >= 0.8 ? "high" : "ok";
  return (
    <section className="card" aria-labelledby="usage-heading" data-testid="usage">
      <h2 id="usage-heading">{t("usage.heading")}</h2>
      <div className="usage-grid">
        <div>
          <p className="usage-figure" data-testid="usage-bytes">
            {formatBytes(used, locale)}
          </p>
          <p className="muted" id="usage-used">
            {t("usage.used", {
              used: formatBytes(used, locale),
              quota: formatBytes(usage.quotaBytes, locale),
              percent: percent(used, usage.quotaBytes, locale),
            })}
          </p>
        </div>
        <div>
          <p className="usage-figure" data-testid="usage-assets">
            {formatNumber(usage.assets, locale)}
          </p>
          <p className="muted">{t("usage.assets")}</p>
        </div>
      </div>
      <svg
        className="usage-bar"
        role="meter"
        aria-label={t("usage.quotaBar")}
        aria-valuemin={0}
        aria-valuemax={usage.quotaBytes}
        aria-valuenow={used}
        aria-valuetext={percent(used, usage.quotaBytes, locale)}
        preserveAspectRatio="none"
        viewBox="0 0 1000 20"
      >
        <rect className="track" x="0" y="0" width="1000" height="20" rx="6" />
        <rect className="fill" data-level={level} x="0" y="0" width={Math.max(ratio > 0 ? 4 : 0, Math.round(ratio * 1000))} height="20" rx="6" />
      </svg>
      {usage.reservedBytes > 0 ? <p className="muted small">{t("usage.reserved", { bytes: formatBytes(usage.reservedBytes, locale) })}</p> : null}

      <h3>{t("usage.history", { days: usage.history.length })}</h3>
      <HistoryChart history={usage.history} />

      <h3>{t("usage.projects")}</h3>
      {usage.projects.length === 0 ? (
        <p className="muted">{t("usage.noProjects")}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="usage-projects">
            <thead>
              <tr>
                <th scope="col">{t("usage.project")}</th>
                <th scope="col" className="num">
                  {t("usage.bytes")}
                </th>
                <th scope="col" className="num">
                  {t("usage.assets")}
                </th>
                <th scope="col">{t("usage.share")}</th>
              </tr>
            </thead>
            <tbody>
              {[...usage.projects]
                .sort((a, b) => b.bytes - a.bytes)
                .map((p) => (
                  <tr key={p.projectId} data-testid="usage-project" data-name={p.name}>
                    <td>
                      <Link to={`/projects/${encodeURIComponent(p.projectId)}`}>{p.name}</Link>
                    </td>
                    <td className="num">{formatBytes(p.bytes, locale)}</td>
                    <td className="num">{formatNumber(p.assets, locale)}</td>
                    <td>
                      <svg className="usage-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                        <rect className="track" x="0" y="0" width="100" height="10" rx="3" />
                        <rect className="fill" x="0" y="0" width={used > 0 ? Math.round((p.bytes / used) * 100) : 0} height="10" rx="3" />
                      </svg>
                      <span className="small muted"> {percent(p.bytes, used, locale)}</span>
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const W = 720;
const H = 220;
const PAD = { left: 72, right: 16, top: 14, bottom: 30 };

export function HistoryChart({ history }: { history: Usage["history"] }) {
  const t = useT();
  const locale = useLocale();
  if (history.length === 0) return null;
  const max = niceMax(Math.max(...history.map((h) => h.bytes)));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (history.length === 1 ? innerW / 2 : (i / (history.length - 1)) * innerW);
  const y = (bytes: number) => PAD.top + innerH - (bytes / max) * innerH;
  const line = history.map((h, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(h.bytes).toFixed(1)}`).join(" ");
  const area = `${line} L${x(history.length - 1).toFixed(1)},${y(0)} L${x(0).toFixed(1)},${y(0)} Z`;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const labelEvery = Math.max(1, Math.ceil(history.length / 6));
  const first = history[0]!;
  const last = history.at(-1)!;
  const peak = Math.max(...history.map((h) => h.bytes));
  return (
    <svg className="usage-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="usage-chart-title usage-chart-desc" data-testid="usage-chart">
      <title id="usage-chart-title">{t("usage.chartTitle")}</title>
      <desc id="usage-chart-desc">
        {t("usage.chartDesc", {
          from: first.date,
          first: formatBytes(first.bytes, locale),
          to: last.date,
          last: formatBytes(last.bytes, locale),
          max: formatBytes(peak, locale),
        })}
      </desc>
      {ticks.map((v) => (
        <g key={v}>
          <line className={v === 0 ? "axis" : "grid"} x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
          <text x={PAD.left - 8} y={y(v) + 4} textAnchor="end">
            {formatBytes(v, locale)}
          </text>
        </g>
      ))}
      <line className="axis" x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={y(0)} />
      <path className="area" d={area} />
      <path className="line" d={line} />
      {history.map((h, i) =>
        i % labelEvery === 0 || i === history.length - 1 ? (
          <text key={h.date} x={x(i)} y={H - 10} textAnchor={i === 0 ? "start" : i === history.length - 1 ? "end" : "middle"}>
            {formatDay(h.date, locale)}
          </text>
        ) : null,
      )}
      {history.map((h, i) => (
        <circle key={`p-${h.date}`} cx={x(i)} cy={y(h.bytes)} r={2} className="line">
          <title>{`${h.date}: ${formatBytes(h.bytes, locale)}`}</title>
        </circle>
      ))}
    </svg>
  );
}
