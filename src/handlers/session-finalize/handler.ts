import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import type { Clock } from "../../core/clock.ts";
import { doNotRetry } from "../../core/errors.ts";
import type { Logger } from "../../core/logger.ts";
import type { NewWorkItem, WorkItem } from "../../queue/work-item.ts";
import type { RunRequest, RunResult } from "../../runners/runner.ts";
import type { CleanupReport, Handler, PendingLedgerWork } from "../handler.ts";
import { type DetectContext, type DirScan, detectInDir } from "./detect.ts";
import { logDetection } from "./detect-log.ts";
import { exportSession } from "./export.ts";
import { type WrittenArtifacts, writeFinalArtifacts } from "./finalize.ts";
import { cleanupGhosts } from "./ghost-cleanup.ts";
import { importSession } from "./import-session.ts";
import { LedgerGit } from "./ledger-git.ts";
import { LedgerStep } from "./ledger-step.ts";
import { isWithin, realpathLoose } from "./paths.ts";
import { checkPayload } from "./payload.ts";
import { buildSummaryPrompt, type PromptStats } from "./prompt.ts";
import type { QualityThresholds } from "./quality.ts";
import { existingSummary, type ReplyStash, replyNotASummary } from "./reply.ts";
import type { Summary } from "./summary.ts";
import { parseSummaryOutput } from "./summary-parser.ts";
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
  /**
   * Keeps a parsed reply until its artifacts are written (in SQLite, beside the queue), so a
   * write that fails (a full disk) is retried without paying the agent again.
   */
  replyStash?: ReplyStash;
  /** Characters kept of one tool output in session.md / session.html. */
  exportToolOutputLimit?: number;
}

export interface DetectReport {
  items: number;
  refused: RefusedEntry[];
  ghostsRemoved: string[];
}

export interface FinalizeOutcome extends WrittenArtifacts {
  /** Where the summary came from: the reply (raw, fenced) or what existed (stash, summary.json). */
  parsedFrom: string;
}

const MAX_KEPT_STATS = 1000;

/** Upstream's SessionFinalizeHandler on agentwork's Handler contract. */
export class SessionFinalizeHandler implements Handler<SessionFinalizePayload> {
  readonly type = SESSION_FINALIZE_TYPE;
  readonly git: LedgerGit;
  readonly ledgerStep: LedgerStep;
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
    this.ledgerStep = new LedgerStep(this.git, {
      roots: () => this.ledgerRoots(),
      gitPush: options.gitPush,
      logger: options.logger,
    });
  }

  /** Session roots inside the ledger, relative to it: `sessions` and scan dirs inside it. */
  private ledgerRoots(): string[] {
    const ledger = realpathLoose(this.options.ledgerPath);
    const roots = new Set(["sessions"]);
    for (const scan of this.scans(this.options.ledgerPath)) {
      const real = realpathLoose(scan.dir);
      if (scan.importInto === undefined && isWithin(ledger, real) && real !== ledger) {
        roots.add(relative(ledger, real));
      }
    }
    return [...roots];
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
    report.items = items.length;
    this.lastDetect = report;
    logDetection(this.log, ledgerPath, items, report.refused);
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
      ...this.exportLimit(),
    });
  }

  private exportLimit(): { toolOutputLimit?: number } {
    const limit = this.options.exportToolOutputLimit;
    return limit === undefined ? {} : { toolOutputLimit: limit };
  }

  /**
   * The prompt, or null when no agent is needed: a reply parsed by an earlier attempt whose
   * artifacts could not be written, or a summary.json already on disk, finishes the session from
   * what exists (`enqueue --force` asks the agent again on purpose).
   */
  async buildPrompt(item: WorkItem<SessionFinalizePayload>): Promise<RunRequest | null> {
    const payload = this.payload(item);
    if (payload.force !== true && (await this.finishFromWhatExists(payload))) return null;
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

  private async finishFromWhatExists(payload: SessionFinalizePayload): Promise<boolean> {
    const stash = this.options.replyStash;
    const stashed = stash?.get(payload.session_name) ?? null;
    if (stashed !== null) {
      await this.writeSummary(payload, stashed, "stash");
      stash?.delete(payload.session_name);
      this.log.info(
        `session-finalize: ${payload.session_name}: wrote the summary an earlier attempt was paid for; no agent run`,
      );
      return true;
    }
    const existing = existingSummary(payload.session_dir);
    if (existing === null) return false;
    await this.writeSummary(payload, existing, "summary.json", { keepSummaryJson: true });
    this.log.info(
      `session-finalize: ${payload.session_name} has a summary.json; rebuilt its other artifacts without the agent`,
    );
    return true;
  }

  /**
   * The agent's reply → artifacts. A reply that is not a summary fails the attempt (retried) and
   * keeps the reply with the error; no stub summary is ever written. The parsed summary is
   * stashed first, so a failed write is retried without the agent.
   */
  async processResult(item: WorkItem<SessionFinalizePayload>, result: RunResult): Promise<void> {
    const payload = this.payload(item);
    const parsed = parseSummaryOutput(result.output);
    if (parsed === null) throw replyNotASummary(payload.session_name, result.output);
    const stash = this.options.replyStash;
    try {
      stash?.set(payload.session_name, parsed.summary);
    } catch (error) {
      this.log.warn(
        `session-finalize: cannot keep the reply for ${payload.session_name} in the database: ${(error as Error).message}`,
      );
    }
    await this.writeSummary(payload, parsed.summary, parsed.source);
    stash?.delete(payload.session_name);
    this.promptStats.delete(item.id);
  }

  private async writeSummary(
    payload: SessionFinalizePayload,
    summary: Summary,
    source: string,
    options: { keepSummaryJson?: boolean } = {},
  ): Promise<void> {
    const written = await writeFinalArtifacts(payload, summary, {
      thresholds: this.thresholds,
      clock: this.options.clock,
      logger: this.log,
      keepSummaryJson: options.keepSummaryJson === true,
      ...this.exportLimit(),
    });
    this.lastOutcome = { ...written, parsedFrom: source };
  }

  /**
   * Commit and push of every finalized session still waiting, apart from any agent run. The
   * scheduler calls it after each finalized session and on every doctor pass.
   */
  publish(): Promise<PendingLedgerWork> {
    return this.ledgerStep.run();
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
    return { actions };
  }
}
