import { defineCommand } from "citty";
import { systemClock } from "../../core/clock.ts";
import { createRunnerFromSettings } from "../../daemon/runtime.ts";
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
    const status =
      ((await askDaemon(ctx, "status")) as AgentWorkStatus | undefined) ?? (await localStatus(ctx));
    printData(status, { json: args.json === true, text: renderStatus });
  },
});

/** Without a daemon the same JSON comes straight from the database. */
async function localStatus(ctx: CommandContext): Promise<AgentWorkStatus> {
  const config = ctx.settings.config;
  const runner = createRunnerFromSettings(ctx.settings);
  const agentCheck = await runner.check();
  return withStorage(ctx, (storage) => {
    const limiter = new RateLimiter(storage.state, systemClock);
    return buildStatus({
      storage,
      config,
      agentAvailable: runner.available(),
      agentCheck,
      rateTokensLeft: limiter.remaining(config.maxInvocationsPerHour),
      rateWindowEndsAt: limiter.windowEndsAt(config.maxInvocationsPerHour),
      nextTickAt: null,
      daemonPid: runningDaemonPid(storage),
    });
  });
}

function agentLine(s: AgentWorkStatus): string {
  if (!s.agent_available) return "(not found: summaries wait for it)";
  if (s.agent_problem) return `(refused: ${s.agent_problem})`;
  return `(available${s.agent_version ? `, ${s.agent_version}` : ""}, locked down)`;
}

export function renderStatus(s: AgentWorkStatus): string {
  const c = s.counts;
  const lines = [
    `daemon:      ${s.daemon.running ? `running (pid ${s.daemon.pid})` : "not running"}`,
    `enabled:     ${s.enabled ? "yes" : "no"}`,
    `agent:       ${s.agent_type} ${agentLine(s)}`,
    ...(s.agent_reason ? [`chosen:      ${s.agent_reason}`] : []),
    ...Object.entries(s.agents_not_chosen ?? {}).map(
      ([agent, why]) => `not chosen:  ${agent}: ${why}`,
    ),
    `queue:       ${c.queued} queued, ${c.running} running, ${c.retry_wait} waiting to retry, ${c.done} done, ${c.failed} failed, ${c.cancelled} cancelled`,
    `rate limit:  ${s.rate_limit.tokens_left}/${s.rate_limit.max_per_hour} runs left this hour`,
    `next pass:   ${s.next_tick_at ?? "-"}`,
    `stats:       ${s.stats.successes} finalized, ${s.stats.failures} failed, ${s.stats.agent_runs} agent runs, ${s.stats.tokens_in} tokens in / ${s.stats.tokens_out} out, $${s.stats.cost_usd.toFixed(4)}`,
  ];
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
