/** test/fixtures/media for the Node unit project: bytes from disk, and a RangeSource that records its reads. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { bytesRangeSource, sniff, SNIFF_BYTES, type Sniffed } from "~/.server/assets/technical";
import { recording, type Counted } from "../support/media-inspect";

export type { Counted };

const DIR = path.join(__dirname, "..", "fixtures", "media");

export function fixture(name: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(path.join(DIR, name)));
}

export function counted(bytes: Uint8Array): Counted {
  return recording(bytesRangeSource(bytes));
}

/** Sniffs a fixture the way processing does (first SNIFF_BYTES), then resets the read counters. */
export async function sniffFixture(name: string): Promise<{ source: Counted; sniffed: Sniffed; bytes: Uint8Array<ArrayBuffer> }> {
  const bytes = fixture(name);
  const source = counted(bytes);
  const sniffed = await sniff(await source.read(0, SNIFF_BYTES));
  source.bytesRead = 0;
  source.reads = [];
  return { source, sniffed, bytes };
}
