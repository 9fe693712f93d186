#!/usr/bin/env node
// The npm registry these machines use is a partial mirror: some optional,
// platform-only packages (for example @tailwindcss/oxide-darwin-arm64) answer
// 404, so `npm install` leaves them out of package-lock.json, and `npm ci` then
// refuses the lockfile as out of sync. This adds a lock entry, marked optional
// with its os/cpu, for each missing optional dependency; `npm ci` skips them on
// platforms they are not for. Run it after changing dependencies.
import { readFileSync, writeFileSync } from "node:fs";

const PLATFORM = /-(android|darwin|freebsd|linux|openbsd|sunos|win32|wasm32)-?(x64|arm64|arm|ia32|riscv64|s390x|ppc64|loong64|wasi)?/;
const path = new URL("../../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const added = [];
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const dir = key ? `${key}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[dir] || lock.packages[`node_modules/${name}`]) continue;
    const m = PLATFORM.exec(name);
    if (!m) continue;
    const [, os, cpu] = m;
    lock.packages[`node_modules/${name}`] = {
      version: String(version).replace(/^[^0-9]*/, ""),
      optional: true,
      ...(os === "wasm32" ? { cpu: ["wasm32"] } : { os: [os], ...(cpu ? { cpu: [cpu === "wasi" ? "wasm32" : cpu] } : {}) }),
    };
    added.push(name);
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `added ${added.length} lock entries: ${added.join(", ")}` : "the lockfile lists every optional dependency");
