import { type Config, DEFAULT_CONFIG } from "../../src/config/config.ts";
import type { NewWorkItem, WorkItem } from "../../src/core/work-item.ts";
import type { Handler } from "../../src/handlers/handler.ts";
import { MockRunner, type MockRunnerOptions } from "../../src/runners/mock-runner.ts";
import type { RunResult } from "../../src/runners/runner.ts";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import type { WorkResult } from "../../src/scheduler/scheduler-events.ts";
import { openTestStorage, type TestStorage } from "./storage.ts";
import { tempDir } from "./tmp.ts";

/** A handler whose detections, prompts and results a test controls and observes. */
export class TestHandler implements Handler {
  readonly type: string;
  detected: NewWorkItem[] = [];
  detectError: Error | null = null;
  detectCalls = 0;
  cleanupCalls = 0;
  prepared: string[] = [];
  processed: { item: WorkItem; result: RunResult }[] = [];
  buildPromptError: Error | null = null;
  processError: Error | null = null;

  constructor(type = "session-finalize") {
    this.type = type;
  }

  isEnabled(config: Config): boolean {
    return config.sessionFinalize;
  }

  async detect(): Promise<NewWorkItem[]> {
    this.detectCalls++;
    if (this.detectError) throw this.detectError;
    return this.detected;
  }

  async prepare(item: WorkItem): Promise<void> {
    this.prepared.push(item.id);
  }

  async buildPrompt(item: WorkItem) {
    if (this.buildPromptError) throw this.buildPromptError;
    return { prompt: `summarize ${item.dedupKey}`, systemPrompt: "summarize" };
  }

  async processResult(item: WorkItem, result: RunResult): Promise<void> {
    if (this.processError) throw this.processError;
    this.processed.push({ item, result });
  }

  async cleanup() {
    this.cleanupCalls++;
    return { actions: [] };
  }
}

export interface Harness {
  storage: TestStorage;
  runner: MockRunner;
  handler: TestHandler;
  scheduler: Scheduler;
  config: Config;
  results: WorkResult[];
}

/** Upstream's test defaults: concurrency 1, 100 runs an hour, a temp ledger. */
export function harness(
  options: { config?: Partial<Config>; runner?: MockRunnerOptions; storage?: TestStorage } = {},
): Harness {
  const storage = options.storage ?? openTestStorage();
  const config: Config = {
    ...DEFAULT_CONFIG,
    maxConcurrent: 1,
    maxInvocationsPerHour: 100,
    ...options.config,
  };
  const runner = new MockRunner(options.runner);
  const handler = new TestHandler();
  const scheduler = new Scheduler({
    storage,
    runner,
    loadConfig: () => config,
    ledgerPath: tempDir(),
    clock: storage.clock,
  });
  scheduler.registerHandler(handler);
  const results: WorkResult[] = [];
  scheduler.setOnComplete((r) => results.push(r));
  return { storage, runner, handler, scheduler, config, results };
}

export const finalizeItem = (name: string, priority = 10): NewWorkItem => ({
  type: "session-finalize",
  payload: { session_name: name },
  priority,
  dedupKey: `session-finalize:${name}`,
});

/** A promise a test resolves by hand, to hold a fake agent run open. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
