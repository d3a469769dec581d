/**
 * Orders the integration files longest first (runs in Node, from vitest.config.ts).
 *
 * Every file gets its own workerd, and the files are shared among two workers. Vitest orders a
 * fresh clone's files by size, which put the 7-line authorization-matrix-ui.test.ts (the longest
 * run, ~5 minutes) last: one worker then ran it alone while the other sat idle. Starting the
 * longest files first lets the short ones fill in beside them (longest-processing-time-first).
 *
 * The weights are seconds per file from a serial run (`test/integration/durations.json`,
 * refreshed by `node scripts/integration-durations.mjs`). They only
 * decide the order, so a stale figure costs time, never a test; a file with no figure yet goes
 * first, since nothing says it is short.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const INTEGRATION = path.join(__dirname, "integration");
const SECONDS = JSON.parse(readFileSync(path.join(INTEGRATION, "durations.json"), "utf8")) as Record<string, number>;

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const weight = (spec: TestSpecification) => SECONDS[path.relative(INTEGRATION, spec.moduleId).split(path.sep).join("/")] ?? Number.POSITIVE_INFINITY;
    const base = await super.sort(files);
    return base
      .map((spec, i) => ({ spec, i, w: weight(spec) }))
      .sort((a, b) => b.w - a.w || a.i - b.i)
      .map(({ spec }) => spec);
  }
}
