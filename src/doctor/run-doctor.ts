import type { Settings } from "../config/load.ts";
import { AgentworkError } from "../core/errors.ts";
import { type CheckResult, type DoctorContext, type DoctorGroup, fail } from "./check.ts";
import { DOCTOR_GROUPS } from "./groups.ts";

export interface DoctorReport {
  /** False when any check failed; warnings do not count. */
  ok: boolean;
  checks: CheckResult[];
}

/**
 * Runs every group. Settings that do not load (a bad config) are the one failure that stops the
 * rest, since every other check needs them. A group that throws becomes one failed line.
 */
export async function runDoctor(
  loadSettings: () => Settings,
  platform: NodeJS.Platform,
  groups: readonly DoctorGroup[] = DOCTOR_GROUPS,
): Promise<DoctorReport> {
  let settings: Settings;
  try {
    settings = loadSettings();
  } catch (error) {
    if (!(error instanceof AgentworkError)) throw error;
    const check = fail(
      "config.valid",
      error.message,
      "fix the config (the message names the key and line)",
    );
    return { ok: false, checks: [check] };
  }
  const ctx: DoctorContext = { settings, platform, storage: null };
  const checks: CheckResult[] = [];
  try {
    for (const group of groups) {
      try {
        checks.push(...(await group.run(ctx)));
      } catch (error) {
        checks.push(
          fail(group.name, `check failed: ${(error as Error).message}`, "report this as a bug"),
        );
      }
    }
  } finally {
    ctx.storage?.close();
  }
  return { ok: checks.every((c) => c.status !== "fail"), checks };
}
