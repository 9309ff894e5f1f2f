import { existsSync, statfsSync } from "node:fs";
import { dirname } from "node:path";
import { type CheckResult, type DoctorGroup, fail, ok, warn } from "./check.ts";

const MiB = 1024 * 1024;
/** Below this a commit or a WAL checkpoint may fail (E_DISK_FULL). */
const FAIL_BELOW = 100 * MiB;
const WARN_BELOW = 1024 * MiB;

/** Free space where the database and the ledger live. */
export const diskChecks: DoctorGroup = {
  name: "disk",
  run(ctx) {
    const places: [string, string][] = [["database", ctx.settings.paths.db]];
    if (ctx.settings.paths.ledger) places.push(["ledger", ctx.settings.paths.ledger]);
    return places.map(([what, path]) => freeSpace(`disk.${what}`, what, path));
  },
};

function freeSpace(check: string, what: string, path: string): CheckResult {
  let dir = path;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  const stats = statfsSync(dir);
  const free = Number(stats.bavail) * Number(stats.bsize);
  const text = `${(free / MiB).toFixed(0)} MiB free for the ${what} (${dir})`;
  if (free < FAIL_BELOW) return fail(check, text, "free some disk space");
  if (free < WARN_BELOW) return warn(check, text, "free some disk space soon");
  return ok(check, text);
}
