import { join } from "node:path";
import type { ConfigLoader } from "../config/config.ts";
import { createConfigLoader, type Settings } from "../config/load.ts";
import { type Clock, systemClock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import { SessionFinalizeHandler } from "../handlers/session-finalize/handler.ts";
import { keyValueReplyStash } from "../handlers/session-finalize/reply.ts";
import { openStorage, type Storage } from "../queue/storage.ts";
import { createRunner } from "../runners/create-runner.ts";
import type { Runner } from "../runners/runner.ts";
import { runnerOptionsFromConfig } from "../runners/runner-options.ts";
import { Scheduler } from "../scheduler/scheduler.ts";
import { sourceImportStep } from "../sources/import-step.ts";

/** Everything a daemon (or a CLI command acting without one) needs, wired from Settings. */
export interface Runtime {
  settings: Settings;
  storage: Storage;
  runner: Runner;
  handler: SessionFinalizeHandler;
  scheduler: Scheduler;
  loadConfig: ConfigLoader;
  clock: Clock;
  close(): void;
}

export function createRuntime(
  settings: Settings,
  ledgerPath: string,
  options: { logger: Logger; clock?: Clock },
): Runtime {
  const clock = options.clock ?? systemClock;
  const { logger } = options;
  const config = settings.config;
  const storage = openStorage(settings.paths.db, {
    clock,
    ownerPid: process.pid,
    maxQueueDepth: config.maxQueueDepth,
    maxAttempts: config.maxAttempts,
  });
  const loadConfig = createConfigLoader(settings, logger);
  // The runner re-reads the config through the same loader, so agent_type edits take effect.
  const runner = createRunnerFromSettings(settings, {
    clock,
    logger: logger.withTag("runner"),
    loadConfig,
  });
  const handler = new SessionFinalizeHandler({
    ledgerPath,
    scanDirs: config.scanDirs,
    qualityUploadThreshold: config.qualityUploadThreshold,
    qualityDiscardThreshold: config.qualityDiscardThreshold,
    gitPush: config.gitPush,
    exportToolOutputLimit: config.exportToolOutputLimit,
    clock,
    logger,
    gitEnv: settings.env.base,
    transcriptRoots: claudeProjectDirs(settings),
    replyStash: keyValueReplyStash({
      get: (key) => storage.state.get(key),
      set: (key, value) => storage.state.set(key, value, clock.now()),
      delete: (key) => storage.state.delete(key),
    }),
    redactPatterns: config.redactPatterns,
    publishing: config.publishing,
    gitRemote: config.gitRemote,
    gitBranch: config.gitBranch,
    gitTimeoutMs: config.gitTimeoutMs,
  });
  const scheduler = new Scheduler({
    storage,
    runner,
    loadConfig,
    ledgerPath,
    clock,
    logger: logger.withTag("scheduler"),
    importStep: sourceImportStep(settings, ledgerPath, storage, { clock, logger }),
  });
  scheduler.registerHandler(handler);
  return {
    settings,
    storage,
    runner,
    handler,
    scheduler,
    loadConfig,
    clock,
    close: () => storage.close(),
  };
}

/** Where Claude Code keeps its own transcripts: ~/.claude/projects, or under CLAUDE_CONFIG_DIR. */
function claudeProjectDirs(settings: Settings): string[] {
  const dirs = [join(settings.env.home, ".claude", "projects")];
  const configDir = settings.env.base.CLAUDE_CONFIG_DIR;
  if (configDir) dirs.push(join(configDir, "projects"));
  return dirs;
}

/**
 * The agent runner for these settings: configured agent and binary, the startup environment.
 * With `loadConfig` it re-makes the agent choice from the current config on every call.
 */
export function createRunnerFromSettings(
  settings: Settings,
  extras: { clock?: Clock; logger?: Logger; loadConfig?: ConfigLoader } = {},
): Runner {
  const { loadConfig, ...rest } = extras;
  return createRunner(
    {
      ...runnerOptionsFromConfig(settings.config, settings.env),
      // Each agent run gets a private dir under the state dir, never the ledger.
      workRoot: join(settings.paths.stateDir, "runs"),
      ...rest,
    },
    loadConfig,
  );
}
