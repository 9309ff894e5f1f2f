import { defineCommand } from "citty";
import { statusFromDatabase, withLedgerReport } from "../../operations/local-status.ts";
import type { AgentWorkStatus } from "../../scheduler/status.ts";
import { globalArgs, jsonArg } from "../common-args.ts";
import { askDaemon, commandContext } from "../context.ts";
import { printData } from "../output.ts";
import { withStatusStorage } from "../status-storage.ts";

export default defineCommand({
  meta: { name: "status", description: "Show the queue, active and recent runs, and stats" },
  args: { ...globalArgs, ...jsonArg },
  async run({ args }) {
    const ctx = commandContext(args);
    const status =
      ((await askDaemon(ctx, "status")) as AgentWorkStatus | undefined) ??
      (await withStatusStorage(ctx, (storage) =>
        statusFromDatabase(ctx.settings, storage, ctx.logger),
      ));
    printData(await withLedgerReport(status, ctx.settings), {
      json: args.json === true,
      text: renderStatus,
    });
  },
});

function ledgerLines(s: AgentWorkStatus): string[] {
  const { waiting_commit: commit, waiting_push: push, error } = s.ledger;
  if (commit.length === 0 && push === 0) return [];
  const parts = [
    ...(commit.length > 0
      ? [
          `${commit.length} session(s) wait to be committed (${commit.slice(0, 3).join(", ")}${commit.length > 3 ? ", …" : ""})`,
        ]
      : []),
    ...(push > 0 ? [`${push} commit(s) wait to be pushed`] : []),
  ];
  return [`ledger:      ${parts.join("; ")}${error ? ` — ${error}` : ""}`];
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
    ...(s.paused_until
      ? [
          `paused:      agent work paused until ${s.paused_until}: ${s.pause_reason} (agentwork resume ends it)`,
        ]
      : []),
    `queue:       ${c.queued} queued, ${c.running} running, ${c.retry_wait} waiting to retry, ${c.done} done, ${c.failed} failed, ${c.cancelled} cancelled`,
    ...ledgerLines(s),
    `rate limit:  ${s.rate_limit.tokens_left}/${s.rate_limit.max_per_hour} runs left this hour`,
    `next pass:   ${s.next_tick_at ?? "-"}`,
    `stats:       ${s.stats.successes} finalized, ${s.stats.failures} failed, ${s.stats.agent_runs} agent runs, ${s.stats.tokens_in} tokens in / ${s.stats.tokens_out} out, $${s.stats.cost_usd.toFixed(4)}`,
  ];
  if (s.ledger.held_sessions !== undefined) {
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
