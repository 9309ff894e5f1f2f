import { html, query } from "../html.ts";
import type { ItemDetail } from "../operations-adapter.ts";
import { type PageContext, page, table, when } from "./layout.ts";
import { itemActions } from "./queue.ts";

export function itemPage(ctx: PageContext, detail: ItemDetail) {
  const { item } = detail;
  const facts: [string, string | number][] = [
    ["state", item.state],
    ["type", item.type],
    ["priority", item.priority],
    ["attempts", `${item.attempts}/${item.maxAttempts}`],
    ["dedup key", item.dedupKey ?? "-"],
    ["created (UTC)", when(item.createdAt)],
    ["updated (UTC)", when(item.updatedAt)],
    ["finished (UTC)", when(item.finishedAt)],
    ["last error", item.lastError ?? "-"],
  ];
  const attempts = table(
    ["attempt", "at (UTC)", "code", "error"],
    detail.attempts.map(
      (a) =>
        html`<tr><td>${a.attempt}</td><td>${when(a.at)}</td><td>${a.code ?? ""}</td><td class="error">${a.message}</td></tr>`,
    ),
    "No failed attempts.",
  );
  const runs = table(
    ["run", "attempt", "pid", "status", "exit", "duration", "tokens in/out", "cost", "error"],
    detail.runs.map(
      (r) => html`<tr><td>${r.id}</td><td>${r.attempt}</td><td>${r.pid ?? "-"}</td>
<td class="s-${r.status}">${r.status}</td><td>${r.exitCode ?? "-"}</td>
<td>${r.durationMs === null ? "-" : `${(r.durationMs / 1000).toFixed(1)} s`}</td>
<td>${r.tokensIn} / ${r.tokensOut}</td><td>${r.costUsd === null ? "-" : `$${r.costUsd.toFixed(4)}`}</td>
<td class="error">${r.errorCode ? `${r.errorCode}: ` : ""}${r.error ?? ""}</td></tr>`,
    ),
    "No runs yet.",
  );
  const session = detail.session
    ? html`<p>Session <a href="/sessions${query({ q: detail.session.name })}">${detail.session.name}</a>${detail.session.files.map(
        (f) =>
          html` · <a href="/files/${encodeURIComponent(detail.session?.name ?? "")}/${f}">${f}</a>`,
      )}</p>`
    : "";
  return page(
    ctx,
    `Item ${item.id}`,
    html`<p class="actions">${itemActions(ctx, item)}</p>${session}
<dl class="health">${facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
<h2>Payload</h2><pre class="payload">${JSON.stringify(item.payload, null, 2)}</pre>
<h2>Attempts</h2>${attempts}
<h2>Runs</h2>${runs}`,
  );
}
