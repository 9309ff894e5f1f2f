import { existsSync, realpathSync } from "node:fs";
import { join, relative } from "node:path";
import type { Clock } from "../../core/clock.ts";
import { doNotRetry } from "../../core/errors.ts";
import type { Logger } from "../../core/logger.ts";
import type { NewWorkItem, WorkItem } from "../../queue/work-item.ts";
import type { RunRequest, RunResult } from "../../runners/runner.ts";
import type { CleanupReport, Handler } from "../handler.ts";
import { type DetectContext, type DirScan, detectInDir } from "./detect.ts";
import { exportSession } from "./export.ts";
import { type WrittenArtifacts, writeFinalArtifacts } from "./finalize.ts";
import { cleanupGhosts } from "./ghost-cleanup.ts";
import { importSession } from "./import-session.ts";
import { LedgerGit } from "./ledger-git.ts";
import { assertInside, isWithin, realpathLoose } from "./paths.ts";
import { checkPayload } from "./payload.ts";
import { buildSummaryPrompt, type PromptStats } from "./prompt.ts";
import type { QualityThresholds } from "./quality.ts";
import { summaryFromOutput } from "./summary-parser.ts";
import {
  DEFAULT_GHOST_GRACE_MS,
  DEFAULT_PROMPT_BUDGET_BYTES,
  DEFAULT_STALE_AFTER_MS,
  type PidLookup,
  type RefusedEntry,
  SESSION_FINALIZE_TYPE,
  type SessionFinalizePayload,
} from "./types.ts";

export interface SessionFinalizeOptions {
  ledgerPath: string;
  /** Extra directories holding session dirs, scanned after `<ledger>/sessions`. */
  scanDirs: string[];
  qualityUploadThreshold: number;
  qualityDiscardThreshold: number;
  /** Commit but do not push when false. */
  gitPush: boolean;
  clock: Clock;
  logger: Logger;
  pidLookup?: PidLookup;
  promptBudgetBytes?: number;
  ghostGraceMs?: number;
  staleAfterMs?: number;
  /**
   * Directories agents' own transcripts may be read from, to recover a stale session's missing
   * raw.jsonl (the daemon passes Claude Code's projects dir). Empty: no recovery.
   */
  transcriptRoots?: string[];
  /** Environment for git (HOME, PATH, SSH_AUTH_SOCK...); see LedgerGitOptions.env. */
  gitEnv?: Record<string, string>;
  /** Back-off unit between push attempts (default 1 s; tests use 0). */
  pushRetryDelayMs?: number;
}

export interface DetectReport {
  items: number;
  refused: RefusedEntry[];
  ghostsRemoved: string[];
}

export interface FinalizeOutcome extends WrittenArtifacts {
  committed: boolean;
  pushed: boolean;
  pushError?: string;
  parsedFrom: string;
}

const MAX_KEPT_STATS = 1000;

/** Upstream's SessionFinalizeHandler on agentwork's Handler contract. */
export class SessionFinalizeHandler implements Handler<SessionFinalizePayload> {
  readonly type = SESSION_FINALIZE_TYPE;
  readonly git: LedgerGit;
  /** Prompt size against transcript size, by work-item id, for history. */
  readonly promptStats = new Map<string, PromptStats>();
  lastDetect: DetectReport = { items: 0, refused: [], ghostsRemoved: [] };
  lastOutcome: FinalizeOutcome | null = null;

  constructor(private readonly options: SessionFinalizeOptions) {
    this.git = new LedgerGit(options.ledgerPath, {
      logger: options.logger,
      env: options.gitEnv,
      retryDelayMs: options.pushRetryDelayMs,
    });
  }

  get thresholds(): QualityThresholds {
    return {
      upload: this.options.qualityUploadThreshold,
      discard: this.options.qualityDiscardThreshold,
    };
  }

  private get log(): Logger {
    return this.options.logger;
  }

  /** Where to look: `<ledger>/sessions` first, then each scan dir (copied in when outside). */
  private scans(ledgerPath: string): DirScan[] {
    const ledgerSessions = join(ledgerPath, "sessions");
    const scans: DirScan[] = [{ dir: ledgerSessions, root: ledgerPath }];
    const seen = new Set([realpathLoose(ledgerSessions)]);
    const ledgerReal = realpathLoose(ledgerPath);
    for (const dir of this.options.scanDirs) {
      const real = realpathLoose(dir);
      if (seen.has(real)) continue;
      seen.add(real);
      const inside = isWithin(ledgerReal, real);
      scans.push(
        inside ? { dir, root: ledgerPath } : { dir, root: dir, importInto: ledgerSessions },
      );
    }
    return scans;
  }

  async detect(ledgerPath: string): Promise<NewWorkItem<SessionFinalizePayload>[]> {
    const ctx: DetectContext = {
      ledgerPath,
      clock: this.options.clock,
      logger: this.log,
      staleAfterMs: this.options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
      pidLookup: this.options.pidLookup,
      ghostGraceMs: this.options.ghostGraceMs ?? DEFAULT_GHOST_GRACE_MS,
      transcriptRoots: this.options.transcriptRoots ?? [],
    };
    const report: DetectReport = { items: 0, refused: [], ghostsRemoved: [] };
    const items: NewWorkItem<SessionFinalizePayload>[] = [];
    const keys = new Set<string>();
    for (const [i, scan] of this.scans(ledgerPath).entries()) {
      try {
        const found = await detectInDir(scan, ctx);
        report.refused.push(...found.refused);
        report.ghostsRemoved.push(...found.ghostsRemoved);
        if (found.ghostsRemoved.length > 0) {
          this.log.info(
            `session-finalize: removed ${found.ghostsRemoved.length} ghost recording(s) in ${scan.dir}: ${found.ghostsRemoved.join(", ")}`,
          );
        }
        for (const item of found.items) {
          if (keys.has(item.dedupKey ?? "")) continue;
          keys.add(item.dedupKey ?? "");
          items.push(item);
        }
      } catch (error) {
        // The ledger's own sessions dir must be readable; extra scan dirs are best effort.
        if (i === 0) throw error;
        this.log.warn(`session-finalize: cannot scan ${scan.dir}: ${String(error)}`);
      }
    }
    for (const r of report.refused)
      this.log.warn(`session-finalize: refused ${r.path}: ${r.reason}`);
    report.items = items.length;
    this.lastDetect = report;
    this.log.info(
      `session-finalize: detection in ${ledgerPath} found ${items.length} session(s) to finalize`,
    );
    return items;
  }

  private async ghosts(dir: string): Promise<string[]> {
    const graceMs = this.options.ghostGraceMs ?? DEFAULT_GHOST_GRACE_MS;
    const result = await cleanupGhosts(dir, {
      clock: this.options.clock,
      logger: this.log,
      graceMs,
    });
    if (result.removed > 0)
      this.log.info(
        `session-finalize: removed ${result.removed} ghost recording(s) in ${dir}: ${result.names.join(", ")}`,
      );
    return result.names;
  }

  private payload(item: WorkItem<SessionFinalizePayload>): SessionFinalizePayload {
    const payload = checkPayload(item.payload, {
      ledgerPath: this.options.ledgerPath,
      scanDirs: this.options.scanDirs,
    });
    const copied = importSession(payload);
    if (copied.length > 0)
      this.log.info(
        `session-finalize: copied ${payload.session_name} into the ledger (${copied.join(", ")})`,
      );
    if (!existsSync(payload.raw_path)) {
      throw doNotRetry(
        "E_SESSION_READ",
        `session ${payload.session_name} has no raw.jsonl at ${payload.raw_path}`,
      );
    }
    return payload;
  }

  /** session.md and session.html need no model: written as soon as the item is queued. */
  async prepare(item: WorkItem<SessionFinalizePayload>): Promise<void> {
    const payload = this.payload(item);
    await exportSession(payload.session_dir, {
      clock: this.options.clock,
      logger: this.log,
      name: payload.session_name,
    });
  }

  async buildPrompt(item: WorkItem<SessionFinalizePayload>): Promise<RunRequest> {
    const payload = this.payload(item);
    const budget = this.options.promptBudgetBytes ?? DEFAULT_PROMPT_BUDGET_BYTES;
    const built = await buildSummaryPrompt(payload.raw_path, payload.session_name, budget);
    const s = built.stats;
    if (this.promptStats.size >= MAX_KEPT_STATS) this.promptStats.clear();
    this.promptStats.set(item.id, s);
    this.log.info(
      `session-finalize: prompt for ${payload.session_name}: ${s.promptBytes} bytes from a ${s.transcriptBytes}-byte transcript (${s.entries} entries, ${s.noiseCalls} read/search calls folded, ${s.cutChars} chars cut)`,
    );
    return { prompt: built.prompt, systemPrompt: built.systemPrompt };
  }

  async processResult(item: WorkItem<SessionFinalizePayload>, result: RunResult): Promise<void> {
    const payload = this.payload(item);
    const parsed = summaryFromOutput(result.output);
    if (parsed.source === "fallback") {
      this.log.warn(
        `session-finalize: no valid summary JSON for ${payload.session_name}; using the raw output`,
      );
    }
    const written = await writeFinalArtifacts(payload, parsed.summary, {
      thresholds: this.thresholds,
      clock: this.options.clock,
      logger: this.log,
    });
    const outcome: FinalizeOutcome = {
      ...written,
      committed: false,
      pushed: false,
      parsedFrom: parsed.source,
    };
    this.lastOutcome = outcome;
    this.promptStats.delete(item.id);
    if (written.disposition !== "upload") return;
    if (!(await this.git.isRepo())) {
      this.log.info(
        `session-finalize: ${payload.ledger_path} is not a git repository; artifacts written, commit skipped`,
      );
      return;
    }
    const real = assertInside(payload.session_dir, [payload.ledger_path], "session_dir");
    const rel = relative(realpathSync(payload.ledger_path), real);
    outcome.committed = (await this.git.commitSession(rel, payload.session_name)) === "committed";
    if (!this.options.gitPush) return;
    const push = await this.git.push();
    outcome.pushed = push.ok;
    if (!push.ok) {
      outcome.pushError = push.error;
      // Not a failure of this run: the commit is safe locally and cleanup pushes it later.
      this.log.warn(
        `session-finalize: push after finalizing ${payload.session_name} failed${push.auth ? " (authentication; check the ledger's credentials)" : ""}; will retry on a later pass: ${push.error ?? ""}`,
      );
    }
  }

  /** Ghost removal in every scan location, then a push of commits an earlier push left behind. */
  async cleanup(ledgerPath: string): Promise<CleanupReport> {
    const actions: string[] = [];
    for (const scan of this.scans(ledgerPath)) {
      const names = await this.ghosts(scan.dir);
      if (names.length > 0)
        actions.push(
          `removed ${names.length} ghost recording(s) in ${scan.dir}: ${names.join(", ")}`,
        );
    }
    if (!this.options.gitPush || !(await this.git.isRepo())) return { actions };
    const ahead = await this.git.aheadOfUpstream();
    if (!ahead) return { actions };
    const push = await this.git.push();
    if (push.ok)
      actions.push(`pushed ${ahead} ledger commit(s) left behind by an earlier failed push`);
    else {
      actions.push(
        `push of ${ahead} pending ledger commit(s) failed again: ${push.error ?? "unknown error"}`,
      );
      this.log.warn(`session-finalize: pending push still failing: ${push.error ?? ""}`);
    }
    return { actions };
  }
}
