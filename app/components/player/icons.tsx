/** The transport's pictograms as inline SVG (emoji glyphs are missing from many systems' fonts). */
const paths = {
  speaker: "M3 9h4l5-4v14l-5-4H3z M16 8.5a5 5 0 0 1 0 7 M18.5 6a8.5 8.5 0 0 1 0 12",
  muted: "M3 9h4l5-4v14l-5-4H3z M16 9l6 6 M22 9l-6 6",
  fullscreen: "M4 9V4h5 M15 4h5v5 M20 15v5h-5 M9 20H4v-5",
  previous: "M6 5v14 M19 5l-10 7 10 7z",
  next: "M18 5v14 M5 5l10 7-10 7z",
} as const;

export function Icon({ name }: { name: keyof typeof paths }) {
  return (
    <svg
      viewBox="0 0 24 24"
      width="18"
      height="18"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinejoin="round"
      strokeLinecap="round"
    >
      <path d={paths[name]} />
    </svg>
  );
}
