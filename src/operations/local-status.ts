import { existsSync } from "node:fs";
import type { Settings } from "../config/load.ts";
import { systemClock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import { isProcessAlive } from "../core/process.ts";
import type { StatusStorage } from "../db/status-storage.ts";
import { AGENT_BINARIES, findAgentBinary } from "../runners/agent-binary.ts";
import { currentAgentChoice, noAgentCheck } from "../runners/agent-choice.ts";
import type { AgentCheck } from "../runners/runner.ts";
import { runnerOptionsFromConfig } from "../runners/runner-options.ts";
import { lastAgentCheck } from "../scheduler/agent-gate.ts";
import { AgentPause } from "../scheduler/agent-pause.ts";
import { daemonHolder } from "../scheduler/daemon-lock.ts";
import { PendingPublish } from "../scheduler/pending-publish.ts";
import { RateLimiter } from "../scheduler/rate-limiter.ts";
import { type AgentWorkStatus, buildStatus } from "../scheduler/status.ts";

/**
 * Without a daemon the status JSON comes straight from the database (`status`, `ui`). The agent
 * is chosen here (cheap: installed and logged-in checks); its lock-down probe is the daemon's
 * last one when it probed the same agent, so the CLI is spawned only when nothing was probed yet.
 * The runners (and the session handler's git code) load only when they are needed: this is the
 * path of every `agentwork status` (bench/results/cli.md).
 */
export async function statusFromDatabase(
  settings: Settings,
  storage: StatusStorage,
  logger: Logger,
): Promise<AgentWorkStatus> {
  const config = settings.config;
  const options = runnerOptionsFromConfig(config, settings.env);
  const choice = currentAgentChoice(options);
  const agentType = choice.agent ?? "none";
  const stored = lastAgentCheck(storage.state);
  const agentCheck: AgentCheck =
    stored !== null && stored.agentType === agentType && stored.bin !== null
      ? stored
      : choice.agent === null
        ? noAgentCheck(choice)
        : await (await import("../runners/create-runner.ts")).createRunner(options).check();
  const limiter = new RateLimiter(storage.state, systemClock);
  return buildStatus({
    storage,
    config,
    agentAvailable:
      choice.agent !== null && findAgentBinary(AGENT_BINARIES[choice.agent], options) !== null,
    agentCheck,
    pause: new AgentPause(storage.state, systemClock).current(),
    pending: new PendingPublish(storage.state, systemClock, logger).current(),
    rateTokensLeft: limiter.remaining(config.maxInvocationsPerHour),
    rateWindowEndsAt: limiter.windowEndsAt(config.maxInvocationsPerHour),
    nextTickAt: null,
    daemonPid: daemonHolder(storage.state, isProcessAlive),
  });
}

/** Adds what is read from the ledger itself, now: held sessions, and why commits cannot be made. */
export async function withLedgerReport(
  status: AgentWorkStatus,
  settings: Settings,
): Promise<AgentWorkStatus> {
  const ledger = settings.paths.ledger;
  if (ledger === null || !existsSync(ledger)) return status;
  const config = settings.config;
  const { ledgerReport } = await import("../handlers/session-finalize/ledger-report.ts");
  Object.assign(
    status.ledger,
    await ledgerReport(ledger, {
      scanDirs: config.scanDirs,
      publishing: config.publishing,
      gitEnv: settings.env.base,
    }),
  );
  return status;
}
