import type { Config, PublishingMode } from "../../config/config.ts";
import type { Logger } from "../../core/logger.ts";
import { Redactor } from "../../core/redaction/redactor.ts";
import type { NewWorkItem, WorkItem } from "../../core/work-item.ts";
import type { RunRequest, RunResult } from "../../runners/runner.ts";
import type {
  CleanupReport,
  Enqueue,
  Handler,
  HandRequest,
  PendingLedgerWork,
  ReleaseReply,
  ReleaseRequest,
} from "../handler.ts";
import { type DetectContext, type DirScan, detectInDir } from "./detect.ts";
import { logDetection } from "./detect-log.ts";
import { exportSession } from "./export.ts";
import { type WrittenArtifacts, writeFinalArtifacts } from "./finalize.ts";
import { cleanupGhosts } from "./ghost-cleanup.ts";
import { handRequestItem } from "./hand-request.ts";
import { isHeld } from "./held.ts";
import { exportHeld, heldError } from "./held-export.ts";
import { LedgerGit } from "./ledger-git.ts";
import { LedgerStep } from "./ledger-step.ts";
import type { SessionFinalizeOptions } from "./options.ts";
import { buildSummaryPrompt, type PromptStats } from "./prompt.ts";
import type { QualityThresholds } from "./quality.ts";
import { type ReadySession, readySession } from "./ready-session.ts";
import { RawRedactionGuard } from "./redact-raw.ts";
import { redactPrompt, redactSummary } from "./redact-run.ts";
import { releaseHeld } from "./release.ts";
import { existingSummary, replyNotASummary } from "./reply.ts";
import { ledgerRoots, scanLocations } from "./scan-locations.ts";
import type { Summary } from "./summary.ts";
import { parseSummaryOutput } from "./summary-parser.ts";
import {
  DEFAULT_GHOST_GRACE_MS,
  DEFAULT_PROMPT_BUDGET_BYTES,
  DEFAULT_STALE_AFTER_MS,
  type RefusedEntry,
  SESSION_FINALIZE_TYPE,
  type SessionFinalizePayload,
} from "./types.ts";

export type { SessionFinalizeOptions } from "./options.ts";

export interface DetectReport {
  items: number;
  refused: RefusedEntry[];
  ghostsRemoved: string[];
  /** Sessions that need finalizing but are held on this machine (`agentwork publish`). */
  held: SessionFinalizePayload[];
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
  lastDetect: DetectReport = { items: 0, refused: [], ghostsRemoved: [], held: [] };
  lastOutcome: FinalizeOutcome | null = null;
  /** Keeps raw.jsonl redacted before anything reads it for a prompt, an export or a commit. */
  readonly redaction: RawRedactionGuard;

  constructor(private readonly options: SessionFinalizeOptions) {
    this.redaction = new RawRedactionGuard(new Redactor(options.redactPatterns ?? []));
    this.git = new LedgerGit(options.ledgerPath, {
      logger: options.logger,
      env: options.gitEnv,
      retryDelayMs: options.pushRetryDelayMs,
      remote: options.gitRemote,
      branch: options.gitBranch,
      timeoutMs: options.gitTimeoutMs,
    });
    this.ledgerStep = new LedgerStep(this.git, {
      roots: () => ledgerRoots(options.ledgerPath, options.scanDirs),
      gitPush: options.gitPush,
      logger: options.logger,
      isHeld: (dir) => isHeld([dir], this.publishing),
    });
  }

  isEnabled(config: Config): boolean {
    return config.sessionFinalize;
  }

  newItem(request: HandRequest): NewWorkItem<SessionFinalizePayload> {
    return handRequestItem(this.options.ledgerPath, request, (p) => this.isHeld(p));
  }

  release(
    request: ReleaseRequest,
    enqueue: Enqueue<SessionFinalizePayload>,
  ): Promise<ReleaseReply> {
    return releaseHeld(this, this.options.ledgerPath, request, {
      clock: this.options.clock,
      enqueue,
    });
  }

  get publishing(): PublishingMode {
    return this.options.publishing ?? "auto";
  }

  /** Held on this machine: a `.held` mark, or `publishing: manual` without `agentwork publish`. */
  isHeld(payload: SessionFinalizePayload): boolean {
    return isHeld([payload.session_dir, payload.source_dir], this.publishing);
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

  private scans(ledgerPath: string): DirScan[] {
    return scanLocations(ledgerPath, this.options.scanDirs);
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
      redactor: this.redaction.redactor,
      publishing: this.publishing,
    };
    const report: DetectReport = { items: 0, refused: [], ghostsRemoved: [], held: [] };
    const items: NewWorkItem<SessionFinalizePayload>[] = [];
    const keys = new Set<string>();
    for (const [i, scan] of this.scans(ledgerPath).entries()) {
      try {
        const found = await detectInDir(scan, ctx);
        report.refused.push(...found.refused);
        report.ghostsRemoved.push(...found.ghostsRemoved);
        report.held.push(...(await exportHeld(found.held, this.redaction, ctx)));
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

  /** The checked payload, its session copied into the ledger and its raw.jsonl redacted. */
  private payload(item: WorkItem<SessionFinalizePayload>): Promise<ReadySession> {
    return readySession(item.payload, { ...this.options, redaction: this.redaction });
  }

  /** session.md and session.html need no model: written as soon as the item is queued. */
  async prepare(item: WorkItem<SessionFinalizePayload>): Promise<void> {
    const payload = await this.payload(item);
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
    const payload = await this.payload(item);
    if (this.isHeld(payload)) throw heldError(payload.session_name);
    if (payload.force !== true && (await this.finishFromWhatExists(payload))) return null;
    const budget = this.options.promptBudgetBytes ?? DEFAULT_PROMPT_BUDGET_BYTES;
    const built = await buildSummaryPrompt(payload.raw_path, payload.session_name, budget);
    const s = built.stats;
    if (this.promptStats.size >= MAX_KEPT_STATS) this.promptStats.clear();
    this.promptStats.set(item.id, s);
    this.log.info(
      `session-finalize: prompt for ${payload.session_name}: ${s.promptBytes} bytes from a ${s.transcriptBytes}-byte transcript (${s.entries} entries, ${s.noiseCalls} read/search calls folded, ${s.cutChars} chars cut)`,
    );
    return {
      prompt: redactPrompt(this.redaction.redactor, built.prompt),
      systemPrompt: built.systemPrompt,
    };
  }

  private async finishFromWhatExists(payload: ReadySession): Promise<boolean> {
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
    const payload = await this.payload(item);
    if (this.isHeld(payload)) {
      // Held after the prompt was built: nothing is written, committed or pushed.
      this.log.info(
        `session-finalize: ${payload.session_name} is held on this machine; result dropped`,
      );
      return;
    }
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

  /** Writes the artifacts of a summary, redacted (a model can echo or invent a secret). */
  private async writeSummary(
    payload: ReadySession,
    summary: Summary,
    source: string,
    options: { keepSummaryJson?: boolean } = {},
  ): Promise<void> {
    const redacted = { summary };
    const redactions = redactSummary(this.redaction.redactor, redacted, payload.redactions);
    const written = await writeFinalArtifacts(payload, redacted.summary, {
      redactions,
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
    const graceMs = this.options.ghostGraceMs ?? DEFAULT_GHOST_GRACE_MS;
    for (const scan of this.scans(ledgerPath)) {
      // Reported once, through the scheduler's cleanup log, not here as well.
      const { names } = await cleanupGhosts(scan.dir, {
        clock: this.options.clock,
        logger: this.log,
        graceMs,
      });
      if (names.length > 0)
        actions.push(
          `removed ${names.length} ghost recording(s) in ${scan.dir}: ${names.join(", ")}`,
        );
    }
    return { actions };
  }
}
