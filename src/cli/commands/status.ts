import { existsSync } from "node:fs";
import { defineCommand } from "citty";
import { systemClock } from "../../core/clock.ts";
import { createRunnerFromSettings } from "../../daemon/runtime.ts";
import { type LedgerReport, ledgerReport } from "../../handlers/session-finalize/ledger-report.ts";
import { RateLimiter } from "../../scheduler/rate-limiter.ts";
import { type AgentWorkStatus, buildStatus } from "../../scheduler/status.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import {
  askDaemon,
  type CommandContext,
  commandContext,
  runningDaemonPid,
  withStorage,
} from "../context.ts";
import { printData } from "../output.ts";

export default defineCommand({
  meta: { name: "status", description: "Show the queue, active and recent runs, and stats" },
  args: { ...globalArgs, ...jsonArg },
  async run({ args }) {
    const ctx = commandContext(args);
    const status: AgentWorkStatus & { ledger?: LedgerReport } =
      ((await askDaemon(ctx, "status")) as AgentWorkStatus | undefined) ?? localStatus(ctx);
    const ledger = ctx.settings.paths.ledger;
    if (ledger !== null && existsSync(ledger)) {
      const config = ctx.settings.config;
      status.ledger = await ledgerReport(ledger, {
        scanDirs: config.scanDirs,
        publishing: config.publishing,
        gitEnv: ctx.settings.env.base,
      });
    }
    printData(status, { json: args.json === true, text: renderStatus });
  },
});

/** Without a daemon the same JSON comes straight from the database. */
function localStatus(ctx: CommandContext): AgentWorkStatus {
  const config = ctx.settings.config;
  const runner = createRunnerFromSettings(ctx.settings);
  return withStorage(ctx, (storage) => {
    const limiter = new RateLimiter(storage.state, systemClock);
    return buildStatus({
      storage,
      config,
      agentAvailable: runner.available(),
      rateTokensLeft: limiter.remaining(config.maxInvocationsPerHour),
      rateWindowEndsAt: limiter.windowEndsAt(config.maxInvocationsPerHour),
      nextTickAt: null,
      daemonPid: runningDaemonPid(storage),
    });
  });
}

export function renderStatus(s: AgentWorkStatus & { ledger?: LedgerReport }): string {
  const c = s.counts;
  const lines = [
    `daemon:      ${s.daemon.running ? `running (pid ${s.daemon.pid})` : "not running"}`,
    `enabled:     ${s.enabled ? "yes" : "no"}`,
    `agent:       ${s.agent_type} (${s.agent_available ? "available" : "not found: summaries wait for it"})`,
    `queue:       ${c.queued} queued, ${c.running} running, ${c.retry_wait} waiting to retry, ${c.done} done, ${c.failed} failed, ${c.cancelled} cancelled`,
    `rate limit:  ${s.rate_limit.tokens_left}/${s.rate_limit.max_per_hour} runs left this hour`,
    `next pass:   ${s.next_tick_at ?? "-"}`,
    `stats:       ${s.stats.successes} finalized, ${s.stats.failures} failed, ${s.stats.agent_runs} agent runs, ${s.stats.tokens_in} tokens in / ${s.stats.tokens_out} out, $${s.stats.cost_usd.toFixed(4)}`,
  ];
  if (s.ledger) {
    lines.push(`held:        ${s.ledger.held_sessions} session(s) kept local (agentwork publish)`);
    if (s.ledger.git_problem) lines.push(`ledger git:  commits wait: ${s.ledger.git_problem}`);
  }
  for (const a of s.active ?? []) {
    lines.push(`active:      pid ${a.pid} ${a.target} since ${a.started_at}`);
  }
  for (const r of s.recent ?? []) {
    lines.push(
      `recent:      ${r.started_at} ${r.status.padEnd(11)} ${r.target}${r.error ? ` — ${r.error}` : ""}`,
    );
  }
  return lines.join("\n");
}
