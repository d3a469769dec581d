#!/usr/bin/env node
// npm's postinstall: fixes a bug of @cloudflare/vitest-pool-workers 0.15.1 (the integration tests' pool) in
// node_modules. Its createProxyPrototypeClass wraps the wrapper class's shared prototype in one more Proxy
// at every construction, and the pool constructs a wrapper for every SELF.fetch, queue delivery and Durable
// Object start. Every property read on a wrapper then passes through one `get` trap per request made so far
// in the test file: a file slows request by request (quadratic in its requests) until workerd throws
// "RangeError: Maximum call stack size exceeded". Upstream fixed it (cloudflare/workers-sdk issue #15092,
// pull request #15106: install the Proxy once) in the package's successor, @cloudflare/vitest-plugin 1.x
// (1.5.1 has the fix; moving to it brings miniflare 5 and a newer workerd), while 0.23.0, the last release
// under this name, still has the bug. This applies the same change to the installed file.
// test/integration/platform/pool-wrapper.test.ts fails without it.
//
// Nothing to do when the pool is not installed (npm ci --omit=dev) or already has the fix; an installed
// pool whose code matches neither form fails the install, so that an upgrade is looked at, not missed.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const FILE = path.join(ROOT, "node_modules/@cloudflare/vitest-pool-workers/dist/worker/lib/cloudflare/test-internal.mjs");

const BROKEN = `function createProxyPrototypeClass(superClass, getUnknownPrototypeKey) {
	function Class(...args) {
		Class.prototype = new Proxy(Class.prototype, { get(target, key, receiver) {
			const value = Reflect.get(target, key, receiver);
			if (value !== void 0) return value;
			if (typeof key === "symbol" || IGNORED_KEYS.includes(key)) return;
			return getUnknownPrototypeKey.call(receiver, key);
		} });
		return Reflect.construct(superClass, args, Class);
	}`;

const FIXED = `function createProxyPrototypeClass(superClass, getUnknownPrototypeKey) {
	let proxyInstalled = false;
	function Class(...args) {
		// Patched by kura's scripts/patch-vitest-pool-workers.mjs: the Proxy is installed once, not once per construction.
		if (!proxyInstalled) {
			Class.prototype = new Proxy(Class.prototype, { get(target, key, receiver) {
				const value = Reflect.get(target, key, receiver);
				if (value !== void 0) return value;
				if (typeof key === "symbol" || IGNORED_KEYS.includes(key)) return;
				return getUnknownPrototypeKey.call(receiver, key);
			} });
			proxyInstalled = true;
		}
		return Reflect.construct(superClass, args, Class);
	}`;

if (!existsSync(FILE)) process.exit(0);
const source = readFileSync(FILE, "utf8");
if (source.includes("proxyInstalled")) process.exit(0);
if (!source.includes(BROKEN)) {
  process.stderr.write(
    `scripts/patch-vitest-pool-workers.mjs: ${path.relative(ROOT, FILE)} no longer has the code this script fixes.\n` +
      "Check whether the installed pool re-wraps its prototype on every construction (cloudflare/workers-sdk #15092),\n" +
      "then update or remove this script (and the postinstall entry in package.json).\n",
  );
  process.exit(1);
}
writeFileSync(FILE, source.replace(BROKEN, FIXED));
process.stdout.write("patched @cloudflare/vitest-pool-workers: its wrapper classes install their prototype Proxy once (cloudflare/workers-sdk #15092)\n");
