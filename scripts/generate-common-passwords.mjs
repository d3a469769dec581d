#!/usr/bin/env node
// Regenerates app/.server/auth/data/common-passwords.txt: the 10,000 most
// common passwords, in rank order, from @zxcvbn-ts/language-common (MIT).
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { ROOT } from "./lib.mjs";

const require = createRequire(import.meta.url);
const ranked = require("@zxcvbn-ts/language-common").dictionary["passwords-common"];
const top = [...new Set(ranked.map((p) => String(p).toLowerCase()))].slice(0, 10_000);
if (top.length !== 10_000) throw new Error(`expected 10000 passwords, got ${top.length}`);
writeFileSync(path.join(ROOT, "app/.server/auth/data/common-passwords.txt"), top.join("\n") + "\n");
console.log(`wrote ${top.length} passwords`);
