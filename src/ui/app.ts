import type { Clock } from "../core/clock.ts";
import type { Timers } from "../core/timers.ts";
import { isJobState } from "../core/work-item.ts";
import { runAction, safeBack, withNotice } from "./actions.ts";
import { ASSETS } from "./assets.ts";
import {
  cookieName,
  readCookie,
  sameOriginPost,
  sameSecret,
  sessionCookie,
  type UiSecrets,
} from "./guard.ts";
import { html, type SafeHtml } from "./html.ts";
import { ledgerFile } from "./ledger-files.ts";
import { LiveFeed } from "./live-feed.ts";
import type { UiOperations } from "./operations-adapter.ts";
import { itemPage } from "./pages/item.ts";
import { type PageContext, page } from "./pages/layout.ts";
import { HISTORY_DAYS, overviewPage } from "./pages/overview.ts";
import { PAGE_SIZE, queuePage } from "./pages/queue.ts";
import { matchSessions, sessionsPage } from "./pages/sessions.ts";

/** Our pages load only our own script and stylesheet; nothing inline, nothing from elsewhere. */
export const UI_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const SECURITY_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on our own forms.
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
  "cross-origin-resource-policy": "same-origin",
  "cross-origin-opener-policy": "same-origin",
  "cache-control": "no-store",
};

export interface UiAppOptions {
  ops: UiOperations;
  secrets: UiSecrets;
  /** The port once bound: the Host check and the cookie name depend on it. */
  port: () => number;
  hosts: () => ReadonlySet<string>;
  clock: Clock;
  timers: Timers;
  liveIntervalMs?: number;
}

export interface UiApp {
  fetch(request: Request): Promise<Response>;
  close(): void;
}

function text(status: number, body: string): Response {
  return new Response(`${body}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

function htmlResponse(body: SafeHtml, status = 200): Response {
  return new Response(body.value, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": UI_CSP },
  });
}

function secured(response: Response): Response {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) response.headers.set(k, v);
  if (!response.headers.has("content-security-policy")) {
    response.headers.set("content-security-policy", UI_CSP);
  }
  return response;
}

export function createUiApp(options: UiAppOptions): UiApp {
  const { ops, secrets } = options;
  const live = new LiveFeed(
    () => ops.daemonStatus(),
    options.timers,
    options.liveIntervalMs ?? 2000,
  );

  async function pages(url: URL, ctx: PageContext): Promise<Response | null> {
    const path = url.pathname;
    const params = url.searchParams;
    if (path === "/") {
      const now = options.clock.now();
      const since = now - HISTORY_DAYS * 86_400_000;
      return htmlResponse(overviewPage(ctx, await ops.status(), ops.history(since, now), now));
    }
    if (path === "/queue") {
      const state = params.get("state") ?? "";
      const offset = Math.max(0, Number.parseInt(params.get("offset") ?? "0", 10) || 0);
      const search = {
        ...(isJobState(state) ? { state } : {}),
        ...(params.get("type") ? { type: params.get("type") ?? "" } : {}),
        ...(params.get("q") ? { text: params.get("q") ?? "" } : {}),
        offset,
        limit: PAGE_SIZE,
      };
      return htmlResponse(queuePage(ctx, search, ops.items(search), ops.itemTypes()));
    }
    if (path.startsWith("/items/")) {
      const detail = ops.item(decodeURIComponent(path.slice("/items/".length)));
      if (!detail) return htmlResponse(page(ctx, "Not found", html`<p>No such item.</p>`), 404);
      return htmlResponse(itemPage(ctx, detail));
    }
    if (path === "/sessions") {
      const q = params.get("q") ?? "";
      const rows = matchSessions(await ops.sessions(), q);
      return htmlResponse(sessionsPage(ctx, rows, q, ops.ledger() !== null));
    }
    const file = /^\/files\/([^/]+)\/([^/]+)$/.exec(path);
    if (file) {
      const ledger = ops.ledger();
      const name = decodeURIComponent(file[1] ?? "");
      return (ledger && ledgerFile(ledger, name, file[2] ?? "")) || text(404, "not found");
    }
    if (path === "/events") return live.subscribe();
    const asset = ASSETS.get(path);
    if (asset) return new Response(asset.body, { headers: { "content-type": asset.type } });
    return null;
  }

  async function handle(request: Request): Promise<Response> {
    // DNS rebinding: a page on another name that resolves to 127.0.0.1 sends its own Host.
    if (!options.hosts().has(request.headers.get("host") ?? "")) {
      return text(403, "forbidden: unknown Host header");
    }
    const url = new URL(request.url);
    const port = options.port();
    const fromQuery = url.searchParams.get("token");
    if (request.method === "GET" && sameSecret(fromQuery, secrets.token)) {
      // The token moves from the URL into the cookie, and out of the address bar.
      url.searchParams.delete("token");
      return new Response(null, {
        status: 303,
        headers: {
          location: `${url.pathname}${url.search}`,
          "set-cookie": sessionCookie(port, secrets.token),
        },
      });
    }
    if (!sameSecret(readCookie(request.headers.get("cookie"), cookieName(port)), secrets.token)) {
      return text(
        401,
        "unauthorized: open the URL that agentwork ui printed (it carries the token)",
      );
    }
    if (request.method === "POST") {
      const action = /^\/actions\/([a-z-]+)$/.exec(url.pathname)?.[1];
      if (!action) return text(404, "not found");
      const form = await request.formData().catch(() => null);
      const field = (name: string): string => {
        const value = form?.get(name);
        return typeof value === "string" ? value : "";
      };
      if (
        !form ||
        !sameOriginPost(request, options.hosts()) ||
        !sameSecret(field("csrf"), secrets.csrf)
      ) {
        return text(403, "forbidden: missing or wrong CSRF token");
      }
      const notice = await runAction(ops, action, field);
      if (notice === null) return text(404, "unknown action");
      return new Response(null, {
        status: 303,
        headers: { location: withNotice(safeBack(field("back")), notice) },
      });
    }
    if (request.method !== "GET" && request.method !== "HEAD")
      return text(405, "method not allowed");
    const notice = url.searchParams.get("notice");
    url.searchParams.delete("notice");
    const ctx: PageContext = { csrf: secrets.csrf, back: `${url.pathname}${url.search}`, notice };
    return (await pages(url, ctx)) ?? text(404, "not found");
  }

  return {
    fetch: async (request) => {
      try {
        return secured(await handle(request));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return secured(text(500, `error: ${message}`));
      }
    },
    close: () => live.stop(),
  };
}
