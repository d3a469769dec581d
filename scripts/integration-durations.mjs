#!/usr/bin/env node
// Rewrites test/integration/durations.json (the longest-first order of the integration files,
// test/longest-first-sequencer.ts) from the JSON report of a serial integration run
// (test-results/integration.json, written with KURA_TEST_WORKERS=1).
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./lib.mjs";

const report = JSON.parse(readFileSync(path.join(ROOT, "test-results", "integration.json"), "utf8"));
const files = report.testResults
  .map((f) => ({
    name: path
      .relative(path.join(ROOT, "test", "integration"), f.name)
      .split(path.sep)
      .join("/"),
    start: f.startTime,
    end: f.endTime,
  }))
  .sort((a, b) => a.start - b.start);
// Only a serial run tells what each file costs: a file's figure is the time from the end of the
// file before it to its own end (its workerd start and beforeAll included; the JSON report's
// start time comes after beforeAll).
if (files.some((f, i) => i > 0 && f.start < files[i - 1].end)) {
  process.stderr.write(
    "the files overlapped: run `KURA_TEST_WORKERS=1 npm run test:integration -- --reporter=json --outputFile.json=test-results/integration.json` first\n",
  );
  process.exit(1);
}
const seconds = {};
files.forEach((f, i) => {
  seconds[f.name] = Math.max(1, Math.round((f.end - (i > 0 ? files[i - 1].end : f.start)) / 1000));
});
const sorted = Object.fromEntries(Object.entries(seconds).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
writeFileSync(path.join(ROOT, "test", "integration", "durations.json"), JSON.stringify(sorted, null, 2) + "\n");
process.stdout.write(
  `${files.length} files; the longest: ${Object.entries(sorted)
    .slice(0, 3)
    .map(([n, s]) => `${n} ${s} s`)
    .join(", ")}\n`,
);
