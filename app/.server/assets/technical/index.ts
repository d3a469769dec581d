// TEMPORARY placeholder until branch `tech` (content sniffing and technical metadata) is merged.
export type RangeSource = { size: number; read(offset: number, length: number): Promise<Uint8Array> };
export type AssetKind = "video" | "audio" | "image" | "other";
export type Sniffed = { contentType: string; kind: AssetKind; container: string | null };
export type Technical = Record<string, unknown>;
export function sniff(_head: Uint8Array): Sniffed {
  return { contentType: "application/octet-stream", kind: "other", container: null };
}
export async function extractTechnical(_source: RangeSource, _sniffed: Sniffed): Promise<{ technical: Technical; problem: string | null }> {
  return { technical: {}, problem: null };
}
