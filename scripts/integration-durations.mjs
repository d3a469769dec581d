#!/usr/bin/env node
// Rewrites test/integration/durations.json (the longest-first order of the integration files,
// test/longest-first-sequencer.ts) from the JSON report of the last `npm test`
// (test-results/integration.json). A file's figure is the wall time from the end of the file
// before it on the same worker to its own end, so it includes its workerd start and beforeAll.
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
// Each worker's previous end: a file starts on the worker that finished last before it started.
const workerEnds = [];
const seconds = {};
for (const f of files) {
  const free = workerEnds.filter((e) => e <= f.start).sort((a, b) => b - a)[0];
  const from = free ?? f.start;
  if (free !== undefined) workerEnds.splice(workerEnds.indexOf(free), 1);
  workerEnds.push(f.end);
  seconds[f.name] = Math.max(1, Math.round((f.end - from) / 1000));
}
const sorted = Object.fromEntries(Object.entries(seconds).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
writeFileSync(path.join(ROOT, "test", "integration", "durations.json"), JSON.stringify(sorted, null, 2) + "\n");
process.stdout.write(
  `${files.length} files; the longest: ${Object.entries(sorted)
    .slice(0, 3)
    .map(([n, s]) => `${n} ${s} s`)
    .join(", ")}\n`,
);
