import { html, query } from "../html.ts";
import type { SessionRow } from "../session-index.ts";
import { type PageContext, page, table } from "./layout.ts";

/** Case-insensitive match of every word against the title, the summary and the name. */
export function matchSessions(rows: SessionRow[], q: string): SessionRow[] {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows;
  return rows.filter((r) => {
    const hay = `${r.name}\n${r.title ?? ""}\n${r.summary ?? ""}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

export function sessionsPage(ctx: PageContext, rows: SessionRow[], q: string, ledger: boolean) {
  const file = (r: SessionRow, name: string, present: boolean) =>
    present ? html`<a href="/files/${encodeURIComponent(r.name)}/${name}">${name}</a>` : "";
  const body = table(
    ["title", "date", "agent", "user", "quality", "state", "files"],
    rows.map(
      (r) => html`<tr data-session="${r.name}"><td><span class="title">${r.title ?? r.name}</span>
${r.summary ? html`<div class="muted summary">${r.summary.slice(0, 240)}</div>` : ""}</td>
<td>${(r.created_at ?? "").slice(0, 16).replace("T", " ")}</td><td>${r.agent ?? ""}</td><td>${r.user ?? ""}</td>
<td>${r.quality ?? ""}</td><td class="s-${r.state}">${r.state}</td>
<td>${file(r, "session.html", r.has_html)} ${file(r, "summary.md", r.has_summary_md)}
<a href="/queue${query({ q: r.name })}">item</a></td></tr>`,
    ),
    ledger ? "No sessions match." : "No ledger is configured (--ledger or ledger: in the config).",
  );
  return page(
    ctx,
    "Sessions",
    html`<form method="get" action="/sessions" class="filters">
<label>search <input type="search" name="q" value="${q}" placeholder="title or summary"></label>
<button type="submit">Search</button></form>
<p class="muted">${rows.length} session(s)</p>${body}`,
  );
}
