/** A QR code made on the server (app/.server/sharing/qr.server.ts): path data only, drawn here as SVG elements (no markup string, no style attribute). */
export function QrCode({ qr, label, testId }: { qr: { size: number; path: string }; label: string; testId?: string }) {
  return (
    <svg className="share-qr" viewBox={`0 0 ${qr.size} ${qr.size}`} role="img" aria-label={label} shapeRendering="crispEdges" data-testid={testId}>
      <rect width={qr.size} height={qr.size} fill="#fff" />
      <path d={qr.path} fill="#000" />
    </svg>
  );
}
