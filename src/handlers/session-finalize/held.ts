import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { PublishingMode } from "../../config/config.ts";
import { isoTime } from "../../core/clock.ts";
import { writeFileAtomic } from "./atomic-write.ts";

/** A session kept local until `agentwork publish` (local only, git-ignored). */
export const HELD_MARK = ".held";
/** Written by `agentwork publish`: released for summarizing, committing and pushing. */
export const PUBLISH_MARK = ".publish";

/** Present, or unreadable for another reason than "not there": fails closed (held). */
function marked(dir: string, name: string): boolean {
  try {
    statSync(join(dir, name));
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code !== "ENOENT" && code !== "ENOTDIR";
  }
}

/**
 * Whether a session is held on this machine: a `.held` mark in any of its dirs (the ledger copy
 * or the scan dir it came from), or `publishing: manual` without a `.publish` release.
 */
export function isHeld(dirs: (string | undefined)[], mode: PublishingMode): boolean {
  const present = dirs.filter((d): d is string => typeof d === "string");
  if (present.some((d) => marked(d, HELD_MARK))) return true;
  return mode === "manual" && !present.some((d) => existsSync(join(d, PUBLISH_MARK)));
}

/** Releases a held session: removes `.held` from every dir and writes `.publish` in the first. */
export function releaseHold(dirs: string[], nowMs: number): void {
  for (const dir of dirs) rmSync(join(dir, HELD_MARK), { force: true });
  const first = dirs[0];
  if (!first) return;
  mkdirSync(first, { recursive: true });
  writeFileAtomic(
    join(first, PUBLISH_MARK),
    `${JSON.stringify({ published_at: isoTime(nowMs), reason: "agentwork publish", host: hostname() })}\n`,
  );
}
