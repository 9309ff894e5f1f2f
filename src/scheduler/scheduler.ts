import type { Config, ConfigLoader } from "../config/config.ts";
import { type Clock, integerClock, isoTime, timeAfter } from "../core/clock.ts";
import type { AgentworkError } from "../core/errors.ts";
import { TypedEmitter } from "../core/events.ts";
import { type Logger, silentLogger } from "../core/logger.ts";
import { realTimers, type Timers } from "../core/timers.ts";
import type { EnqueueResult, NewWorkItem, WorkItem } from "../core/work-item.ts";
import type { Handler } from "../handlers/handler.ts";
import { HandlerRegistry } from "../handlers/registry.ts";
import type { Storage } from "../queue/storage.ts";
import type { AgentCheck, Runner } from "../runners/runner.ts";
import { AgentGate } from "./agent-gate.ts";
import { AgentPause, type PauseState } from "./agent-pause.ts";
import { DetectionClock, detectAndAdmit, runCleanup } from "./detection.ts";
import { type ActiveRun, executeItem, type Outcome } from "./execute-item.ts";
import { pruneFinished, rescueAndStopStrays } from "./housekeeping.ts";
import { keepLeaseFresh } from "./lease-keeper.ts";
import { PendingPublish } from "./pending-publish.ts";
import { RateLimiter } from "./rate-limiter.ts";
import { reportOutcome } from "./report-outcome.ts";
import type { SchedulerEvents, Trigger, WorkResult } from "./scheduler-events.ts";
import { type AgentWorkStatus, buildStatus } from "./status.ts";
import { StorageHealth } from "./storage-health.ts";

export interface SchedulerOptions {
  storage: Storage;
  runner: Runner;
  loadConfig: ConfigLoader;
  ledgerPath: string;
  clock: Clock;
  logger?: Logger;
  ownerPid?: number;
  timers?: Timers;
  rateWindowMs?: number;
  /** Runs before detection in every doctor pass (the `sources` import); must not throw. */
  importStep?: (config: Config) => Promise<void>;
}

/**
 * Upstream's Manager, made durable. Everything happens in passes: a doctor pass (cleanup, rescue,
 * detection under a persisted cooldown, then processing), or a processing-only pass (sync signal,
 * external enqueue, a finished run). `start()` only adds timers around `tick()`, so tests drive
 * the scheduler with a FakeClock and explicit ticks.
 */
export class Scheduler {
  readonly events: TypedEmitter<SchedulerEvents>;
  /** Every kind of work this scheduler runs; the operations layer asks it too. */
  readonly handlers = new HandlerRegistry();
  private readonly active = new Map<string, { run: ActiveRun; done: Promise<Outcome> }>();
  private readonly limiter: RateLimiter;
  private readonly detection: DetectionClock;
  readonly pause: AgentPause;
  readonly publisher: PendingPublish;
  private readonly logger: Logger;
  private readonly timers: Timers;
  private readonly ownerPid: number;
  private readonly clock: Clock;
  private onComplete: ((result: WorkResult) => void) | null = null;
  private doctorTimer: unknown = null;
  private doctorInFlight: Promise<void> | null = null;
  private started = false;
  private stopping = false;
  /** The last probe of the agent; a problem (cannot be locked down) stops claims until fixed. */
  private readonly agent: AgentGate;
  private announcedPauseSince: number | null = null;
  private readonly health: StorageHealth;
  nextTickAt: number | null = null;

  constructor(private readonly options: SchedulerOptions) {
    this.logger = options.logger ?? silentLogger();
    this.clock = integerClock(options.clock);
    this.events = new TypedEmitter((error) => this.logger.warn(`event listener failed: ${error}`));
    this.limiter = new RateLimiter(options.storage.state, this.clock, options.rateWindowMs);
    this.detection = new DetectionClock(options.storage.state, this.clock);
    this.pause = new AgentPause(options.storage.state, this.clock);
    this.publisher = new PendingPublish(options.storage.state, this.clock, this.logger);
    this.agent = new AgentGate(options.runner, options.storage.state, this.clock, this.logger);
    this.health = new StorageHealth(options.storage, this.logger, (error) =>
      this.events.emit("scheduler:fatal", { error }),
    );
    this.timers = options.timers ?? realTimers;
    this.ownerPid = options.ownerPid ?? process.pid;
  }

  registerHandler(handler: Handler): void {
    this.handlers.register(handler);
  }

  handler(type: string): Handler | undefined {
    return this.handlers.get(type);
  }

  setOnComplete(fn: (result: WorkResult) => void): void {
    this.onComplete = fn;
  }

  /** An external enqueue (CLI, IPC): queued items wake the loop at once. */
  async enqueue<P>(item: NewWorkItem<P>): Promise<EnqueueResult<P>> {
    this.config();
    const result = await this.admit(item, "enqueue");
    if (result.ok) this.process("enqueue");
    return result;
  }

  /** A sync signal only drains the queue: syncs are too frequent to rescan the ledger. */
  sync(): number {
    return this.process("sync");
  }

  /** Detection without the cooldown; returns how many items it queued. */
  async forceDetect(): Promise<number> {
    const queued = await this.detectOnly(true);
    this.process("force-detect");
    return queued;
  }

  /** Cleanup and detection without processing (the CLI's `detect` when no daemon runs). */
  async detectOnly(force: boolean): Promise<number> {
    if (!this.health.usable()) return 0;
    const config = this.config();
    await runCleanup(this.handlers.all(), this.options.ledgerPath, this.logger);
    await this.publishAll();
    await this.options.importStep?.(config);
    return this.detect(config, force);
  }

  /** The ledger step of every handler: commits and pushes still waiting, no agent involved. */
  private async publishAll(): Promise<void> {
    await Promise.all(this.handlers.all().map((h) => this.publisher.run(h)));
  }

  /** One doctor pass: cleanup (even when disabled), rescue, detection, processing. */
  async tick(trigger: Trigger = "doctor", options: { forceDetect?: boolean } = {}): Promise<void> {
    if (this.doctorInFlight) return this.doctorInFlight;
    this.doctorInFlight = this.doctorPass(trigger, options.forceDetect === true).finally(() => {
      this.doctorInFlight = null;
    });
    return this.doctorInFlight;
  }

  private async doctorPass(trigger: Trigger, forceDetect: boolean): Promise<void> {
    if (!this.health.usable()) return;
    const config = this.config();
    await runCleanup(this.handlers.all(), this.options.ledgerPath, this.logger);
    await this.publishAll();
    rescueAndStopStrays({
      storage: this.options.storage,
      clock: this.clock,
      timers: this.timers,
      logger: this.logger,
      events: this.events,
      ownerPid: this.ownerPid,
      isActive: (item) => this.active.has(item.id),
    });
    pruneFinished(this.options.storage, config.retentionMs, this.logger);
    await this.options.importStep?.(config);
    const queued = await this.detect(config, forceDetect);
    await this.refreshAgentCheck();
    const started = this.process(trigger);
    this.events.emit("scheduler:pass", { trigger, queued, started });
  }

  /**
   * Starts as many items as the limits allow. Returns how many started. Never throws: it also runs
   * from a microtask after each finished run, where an exception would take the daemon down; a
   * locked database is logged and the next pass tries again.
   */
  process(trigger: Trigger = "sync"): number {
    if (this.stopping || this.health.fatal) return 0;
    try {
      return this.startRunnable(trigger);
    } catch (error) {
      if (!this.health.note(error)) {
        this.logger.warn(`${trigger}: could not start work: ${(error as Error).message}`);
      }
      return 0;
    }
  }

  /** Probes the agent (cached per binary by the runner) before claims depend on it. */
  refreshAgentCheck(): Promise<AgentCheck> {
    return this.agent.refresh();
  }

  private startRunnable(trigger: Trigger): number {
    const config = this.config();
    if (!config.enabled || !this.options.runner.available()) return 0;
    // Nothing is claimed before the agent was probed, and nothing while it cannot be locked
    // down: the items wait (they are not failed) until the CLI is fixed.
    const agent = this.agent.current;
    if (agent === null) {
      void this.agent.refresh().then(
        () => this.process(trigger),
        (error: unknown) => this.logger.warn(`could not probe the agent: ${String(error)}`),
      );
      return 0;
    }
    if (agent.problem !== null) return 0;
    // An account usage limit pauses all agent work until it resets (or `agentwork resume`).
    if (this.pause.current() !== null) return 0;
    // Items of a handler that is switched off stay queued; the claim skips them in SQL.
    const types = this.handlers.enabledTypes(config);
    if (types.length === 0) return 0;
    let started = 0;
    while (this.active.size < config.maxConcurrent) {
      // A token is spent only once an item is really taken (upstream spent one per empty pass).
      if (this.limiter.remaining(config.maxInvocationsPerHour) <= 0) break;
      const item = this.options.storage.queue.dequeue(types);
      if (!item) break;
      this.limiter.allow(config.maxInvocationsPerHour);
      this.launch(item, config);
      started++;
    }
    if (trigger !== "sync" || started > 0) this.logger.debug(`${trigger}: started ${started}`);
    return started;
  }

  /** Runs everything runnable now to completion (used by `daemon --once` and tests). */
  async drain(): Promise<void> {
    if (this.agent.current === null) await this.agent.refresh();
    for (;;) {
      this.process("sync");
      const running = [...this.active.values()].map((a) => a.done);
      if (running.length === 0) break;
      await Promise.race(running);
    }
    await this.publisher.settled();
  }

  /** Stops an item: a waiting one at once, a running one by stopping its agent. */
  cancel(id: string): { ok: boolean; state?: string; reason?: string } {
    const active = this.active.get(id);
    if (active) {
      active.run.stopReason = "cancel";
      active.run.abort.abort();
      return { ok: true, state: "running" };
    }
    return this.options.storage.queue.cancel(id);
  }

  /** Ends a usage-limit pause early and starts waiting work. Returns the pause that ended. */
  resume(): PauseState | null {
    const ended = this.pause.resume();
    if (ended) this.logger.info("agent work resumed by request");
    this.events.emit("scheduler:resumed", { pausedUntil: ended?.until ?? null });
    this.process("sync");
    return ended;
  }

  status(): AgentWorkStatus {
    const config = this.config();
    return buildStatus({
      storage: this.options.storage,
      config,
      agentAvailable: this.options.runner.available(),
      agentCheck: this.agent.current,
      pause: this.pause.current(),
      pending: this.publisher.current(),
      rateTokensLeft: this.limiter.remaining(config.maxInvocationsPerHour),
      rateWindowEndsAt: this.limiter.windowEndsAt(config.maxInvocationsPerHour),
      nextTickAt: this.nextTickAt,
      daemonPid: this.started ? this.ownerPid : null,
    });
  }

  /** Doctor pass now (upstream waited a whole interval), then every doctor_interval. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    const loop = () => {
      void this.tick("doctor")
        .catch((error) => {
          if (!this.health.note(error)) {
            this.logger.error(`doctor pass failed: ${(error as Error).message}`);
          }
        })
        .finally(() => {
          if (!this.stopping) this.scheduleDoctor(this.config().doctorIntervalMs, loop);
        });
    };
    this.scheduleDoctor(0, loop);
  }

  /**
   * Graceful stop: claim nothing more, let running items finish within `graceMs`, then stop
   * their agents; whatever did not finish goes back to the queue with its attempt refunded.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.doctorTimer !== null) this.timers.clearTimeout(this.doctorTimer);
    this.doctorTimer = null;
    this.nextTickAt = null;
    const pending = [...this.active.values()].map((a) => a.done);
    if (pending.length > 0) {
      let graceTimer: unknown = null;
      const graceOver = new Promise<void>((resolve) => {
        graceTimer = this.timers.setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.all(pending), graceOver]);
      this.timers.clearTimeout(graceTimer);
      for (const { run } of this.active.values()) {
        run.stopReason = "shutdown";
        run.abort.abort();
      }
      await Promise.all([...this.active.values()].map((a) => a.done));
    }
    await this.doctorInFlight;
    await this.publisher.settled();
    this.started = false;
  }

  private announcePause(until: number): void {
    const pause = this.pause.current();
    if (pause === null || this.announcedPauseSince === pause.since) return;
    this.announcedPauseSince = pause.since;
    this.logger.warn(
      `agent work paused until ${isoTime(until)} (usage limit): ${pause.reason}; \`agentwork resume\` ends it early`,
    );
  }

  /** An error that made the database unusable (deleted, replaced, corrupt, disk full), if any. */
  get fatal(): AgentworkError | null {
    return this.health.fatal;
  }

  activeCount(): number {
    return this.active.size;
  }

  private scheduleDoctor(delayMs: number, loop: () => void): void {
    this.nextTickAt = timeAfter(this.clock.now(), delayMs);
    this.doctorTimer = this.timers.setTimeout(loop, delayMs);
  }

  private config(): Config {
    const config = this.options.loadConfig();
    const queue = this.options.storage.queue;
    queue.maxQueueDepth = config.maxQueueDepth;
    queue.maxAttempts = config.maxAttempts;
    return config;
  }

  private detect(config: Config, force: boolean): Promise<number> {
    return detectAndAdmit({
      handlers: this.handlers.all(),
      config,
      force,
      cooldown: this.detection,
      ledgerPath: this.options.ledgerPath,
      logger: this.logger,
      admit: (item) => this.admit(item, force ? "force-detect" : "doctor"),
    });
  }

  /**
   * Every item enters the queue here: enqueued with dedup, announced, and its model-free work
   * (exports) done at once, agent or not.
   */
  private async admit<P>(item: NewWorkItem<P>, by: Trigger): Promise<EnqueueResult<P>> {
    const result = this.options.storage.queue.enqueue(item);
    if (!result.ok) return result;
    const key = result.item.dedupKey ?? result.item.id;
    this.logger.info(`queued ${result.item.type} ${key}`);
    this.events.emit("job:queued", { item: result.item, by });
    const handler = this.handlers.get(result.item.type);
    try {
      await handler?.prepare?.(result.item);
    } catch (error) {
      this.logger.warn(`${key}: prepare failed: ${(error as Error).message}`);
    }
    return result;
  }

  private launch(item: WorkItem, config: Config): void {
    const { storage } = this.options;
    const clock = this.clock;
    const startedAt = clock.now();
    const run: ActiveRun = {
      item,
      runId: null,
      startedAt,
      abort: new AbortController(),
      stopReason: null,
      pid: null,
    };
    const stopLeaseKeeper = keepLeaseFresh(storage.queue, item, {
      timers: this.timers,
      logger: this.logger,
    });
    this.events.emit("job:started", { item });
    const done = executeItem(
      {
        storage,
        runner: this.options.runner,
        handler: this.handlers.get(item.type),
        pause: this.pause,
        clock,
        logger: this.logger,
        runTimeoutMs: config.runTimeoutMs,
      },
      run,
    )
      .catch((error: unknown): Outcome => {
        if (!this.health.note(error)) {
          this.logger.error(`${item.dedupKey ?? item.id}: ${(error as Error).message}`);
        }
        return { kind: "interrupted", item, durationMs: clock.now() - startedAt };
      })
      .then((outcome) => {
        stopLeaseKeeper();
        this.active.delete(item.id);
        if (outcome.kind === "completed" && outcome.result === null) {
          // No agent ran: the hour's budget is for agent runs.
          this.limiter.refund(config.maxInvocationsPerHour);
        }
        if (outcome.kind === "paused") this.announcePause(outcome.until);
        const handler = this.handlers.get(item.type);
        // The ledger step runs apart from the agent's: its failures never cost a model call.
        if (outcome.kind === "completed" && handler) void this.publisher.run(handler);
        reportOutcome(outcome, run.runId, {
          logger: this.logger,
          events: this.events,
          onComplete: this.onComplete,
        });
        // A finished run frees a slot: start the next waiting item without waiting for a tick.
        if (!this.stopping) queueMicrotask(() => this.process("sync"));
        return outcome;
      });
    this.active.set(item.id, { run, done });
  }
}
