import { html, type SafeHtml } from "../html.ts";

/** What every page needs from the request: the CSRF token for its forms, where it is, a notice. */
export interface PageContext {
  csrf: string;
  /** This page's path and query, where an action returns to. */
  back: string;
  notice: string | null;
}

const NAV = [
  ["/", "Overview"],
  ["/queue", "Queue"],
  ["/sessions", "Sessions"],
] as const;

export function page(ctx: PageContext, title: string, body: SafeHtml): SafeHtml {
  const here = ctx.back.split("?")[0];
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · agentwork</title>
<link rel="stylesheet" href="/assets/style.css">
<script src="/assets/live.js" defer></script>
</head><body>
<header><strong>agentwork</strong><nav>${NAV.map(
    ([href, label]) =>
      html`<a href="${href}"${here === href ? html` aria-current="page"` : ""}>${label}</a>`,
  )}</nav><span id="live" class="muted"></span></header>
<main>
${ctx.notice ? html`<p class="notice" role="status">${ctx.notice}</p>` : ""}
<h1>${title}</h1>
${body}
</main></body></html>`;
}

/** A POST button: the action, its fields, the CSRF token and the page to come back to. */
export function actionButton(
  ctx: PageContext,
  action: string,
  label: string,
  fields: Record<string, string> = {},
): SafeHtml {
  return html`<form method="post" action="/actions/${action}" class="inline">
<input type="hidden" name="csrf" value="${ctx.csrf}"><input type="hidden" name="back" value="${ctx.back}">${Object.entries(
    fields,
  ).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
<button type="submit" data-action="${action}">${label}</button></form>`;
}

export function table(headers: string[], rows: SafeHtml[], empty: string): SafeHtml {
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`<table><thead><tr>${headers.map((h) => html`<th>${h}</th>`)}</tr></thead>
<tbody>${rows}</tbody></table>`;
}

/** `2026-03-14 08:15` (UTC) from ms epoch, or "-". */
export function when(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "-";
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}
