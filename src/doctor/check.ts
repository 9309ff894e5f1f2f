import type { Settings } from "../config/load.ts";
import type { Storage } from "../queue/storage.ts";

/**
 * One line of `agentwork doctor`. "warn" is worth knowing but does not fail the command (no
 * service installed, no daemon running); "fail" means agentwork cannot do its work until fixed.
 */
export type CheckStatus = "ok" | "warn" | "fail";

export interface CheckResult {
  /** Stable id, e.g. "agent.credentials". */
  check: string;
  status: CheckStatus;
  message: string;
  /** What to do about it; null when status is ok. */
  fix: string | null;
}

/** What the checks share: the settings, and the database once one check found it usable. */
export interface DoctorContext {
  settings: Settings;
  platform: NodeJS.Platform;
  /** Opened by the database group when the file exists and its migrations are current. */
  storage: Storage | null;
}

/**
 * A group of related checks in its own module. To add checks, write a group and list it in
 * `groups.ts`; groups run in that order, each after the previous one finished.
 */
export interface DoctorGroup {
  name: string;
  run(ctx: DoctorContext): Promise<CheckResult[]> | CheckResult[];
}

export const ok = (check: string, message: string): CheckResult => ({
  check,
  status: "ok",
  message,
  fix: null,
});

export const warn = (check: string, message: string, fix: string): CheckResult => ({
  check,
  status: "warn",
  message,
  fix,
});

export const fail = (check: string, message: string, fix: string): CheckResult => ({
  check,
  status: "fail",
  message,
  fix,
});
