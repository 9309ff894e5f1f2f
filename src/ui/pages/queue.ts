import { JOB_STATES, type WorkItem } from "../../core/work-item.ts";
import type { ItemPage, ItemSearch } from "../../db/work-item-search.ts";
import { html, query } from "../html.ts";
import { actionButton, type PageContext, page, table, when } from "./layout.ts";

export const PAGE_SIZE = 50;

/** The buttons an item's state allows: retry a final failure, cancel what has not finished. */
export function itemActions(ctx: PageContext, item: WorkItem) {
  const retry =
    item.state === "failed" || item.state === "cancelled"
      ? actionButton(ctx, "retry", "Retry", { id: item.id })
      : "";
  const cancel =
    item.state === "queued" || item.state === "retry_wait" || item.state === "running"
      ? actionButton(ctx, "cancel", "Cancel", { id: item.id })
      : "";
  return html`${retry}${cancel}`;
}

function filters(search: ItemSearch, types: string[]) {
  const option = (value: string, selected: boolean, label = value) =>
    html`<option value="${value}"${selected ? html` selected` : ""}>${label}</option>`;
  return html`<form method="get" action="/queue" class="filters">
<label>state <select name="state">${option("", !search.state, "any")}${JOB_STATES.map((s) => option(s, search.state === s))}</select></label>
<label>type <select name="type">${option("", !search.type, "any")}${types.map((t) => option(t, search.type === t))}</select></label>
<label>text <input type="search" name="q" value="${search.text ?? ""}" placeholder="id, session, error"></label>
<button type="submit">Filter</button></form>`;
}

export function queuePage(ctx: PageContext, search: ItemSearch, result: ItemPage, types: string[]) {
  const rows = result.items.map(
    (
      i,
    ) => html`<tr data-id="${i.id}"><td><a href="/items/${encodeURIComponent(i.id)}">${i.id}</a></td>
<td>${i.type}</td><td class="s-${i.state}">${i.state}</td><td>${i.attempts}/${i.maxAttempts}</td>
<td>${i.dedupKey ?? ""}</td><td>${when(i.createdAt)}</td><td class="error">${(i.lastError ?? "").slice(0, 200)}</td>
<td>${itemActions(ctx, i)}</td></tr>`,
  );
  const base = { state: search.state, type: search.type, q: search.text };
  const from = result.total === 0 ? 0 : search.offset + 1;
  const to = search.offset + result.items.length;
  const prev =
    search.offset > 0
      ? html`<a rel="prev" href="/queue${query({ ...base, offset: Math.max(0, search.offset - search.limit) || undefined })}">← newer</a>`
      : "";
  const next =
    to < result.total
      ? html`<a rel="next" href="/queue${query({ ...base, offset: to })}">older →</a>`
      : "";
  return page(
    ctx,
    "Queue",
    html`${filters(search, types)}
<p class="actions">${actionButton(ctx, "retry-failed", "Retry all failed")}</p>
${table(["id", "type", "state", "tries", "key", "created (UTC)", "last error", ""], rows, "No items match.")}
<p class="pager"><span class="muted">${from}–${to} of ${result.total}</span> ${prev} ${next}</p>`,
  );
}
