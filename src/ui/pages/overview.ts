import { JOB_STATES } from "../../core/work-item.ts";
import type { AgentWorkStatus } from "../../scheduler/status.ts";
import { type Bar, barChart, chartsRow } from "../charts.ts";
import { html, query } from "../html.ts";
import type { History } from "../operations-adapter.ts";
import { actionButton, type PageContext, page, table, when } from "./layout.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
export const HISTORY_DAYS = 30;

/** Fills the hours or days without runs with zeros, oldest first. */
function series<T extends { start: number }>(
  rows: T[],
  since: number,
  until: number,
  step: number,
  value: (row: T) => number,
  label: (start: number) => string,
): Bar[] {
  const byStart = new Map(rows.map((r) => [r.start, r]));
  const bars: Bar[] = [];
  for (let t = Math.floor(since / step) * step; t <= until; t += step) {
    const row = byStart.get(t);
    bars.push({ label: label(t), value: row ? value(row) : 0 });
  }
  return bars;
}

function charts(history: History, now: number) {
  const since = now - HISTORY_DAYS * DAY_MS;
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const hour = (t: number) => when(t);
  const days = (value: (d: History["days"][number]) => number) =>
    series(history.days, since, now, DAY_MS, value, day);
  return chartsRow([
    barChart(
      "Runs per hour",
      series(history.hours, since, now, HOUR_MS, (h) => h.runs, hour),
    ),
    barChart(
      "Tokens per day",
      days((d) => d.tokens_in + d.tokens_out),
    ),
    barChart(
      "Cost per day",
      days((d) => d.cost_usd),
      { unit: " $" },
    ),
    barChart(
      "Success rate per day",
      days((d) => (d.runs === 0 ? 0 : Math.round((d.completed / d.runs) * 100))),
      { max: 100, unit: "%" },
    ),
  ]);
}

function health(s: AgentWorkStatus) {
  const agent = !s.agent_available
    ? "not found: summaries wait for it"
    : (s.agent_problem ?? `available${s.agent_version ? `, ${s.agent_version}` : ""}`);
  const ledger =
    s.ledger.waiting_commit.length > 0 || s.ledger.waiting_push > 0
      ? `${s.ledger.waiting_commit.length} wait to be committed, ${s.ledger.waiting_push} commit(s) to be pushed${s.ledger.error ? ` — ${s.ledger.error}` : ""}`
      : "up to date";
  const rows: [string, string][] = [
    ["daemon", s.daemon.running ? `running (pid ${s.daemon.pid})` : "not running"],
    ["enabled", s.enabled ? "yes" : "no"],
    ["agent", `${s.agent_type}: ${agent}`],
    ["rate limit", `${s.rate_limit.tokens_left}/${s.rate_limit.max_per_hour} runs left this hour`],
    ["ledger", ledger],
    ...(s.ledger.held_sessions !== undefined
      ? ([["held", `${s.ledger.held_sessions} session(s) kept local`]] as [string, string][])
      : []),
    ...(s.ledger.git_problem ? ([["ledger git", s.ledger.git_problem]] as [string, string][]) : []),
    [
      "totals",
      `${s.stats.successes} finalized, ${s.stats.failures} failed, ${s.stats.agent_runs} agent runs, $${s.stats.cost_usd.toFixed(4)}`,
    ],
  ];
  return html`<dl class="health">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

export function overviewPage(ctx: PageContext, s: AgentWorkStatus, history: History, now: number) {
  const pause = s.paused_until
    ? html`<p class="paused" id="pause">Agent work is paused until ${s.paused_until}: ${s.pause_reason} ${actionButton(ctx, "resume", "Resume")}</p>`
    : html`<p class="muted" id="pause">Agent work is not paused.</p>`;
  const counts = html`<ul class="counts">${JOB_STATES.map(
    (state) =>
      html`<li><a href="/queue${query({ state })}"><span class="n" data-state="${state}">${s.counts[state]}</span> ${state.replace("_", " ")}</a></li>`,
  )}</ul>`;
  const recent = table(
    ["started", "status", "target", "error"],
    (s.recent ?? [])
      .slice()
      .reverse()
      .map(
        (r) =>
          html`<tr><td>${r.started_at.slice(0, 16).replace("T", " ")}</td><td class="s-${r.status}">${r.status}</td><td>${r.item_id ? html`<a href="/items/${encodeURIComponent(r.item_id)}">${r.target}</a>` : r.target}</td><td>${r.error ?? ""}</td></tr>`,
      ),
    "No runs yet.",
  );
  return page(
    ctx,
    "Overview",
    html`${pause}${health(s)}
<h2>Queue</h2>${counts}
<p class="actions">${actionButton(ctx, "detect", "Detect now")} ${s.counts.failed > 0 ? actionButton(ctx, "retry-failed", `Retry all failed (${s.counts.failed})`) : ""}</p>
<h2>Last ${HISTORY_DAYS} days</h2>${charts(history, now)}
<h2>Recent runs</h2>${recent}`,
  );
}
