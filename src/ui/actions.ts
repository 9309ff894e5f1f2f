import type { UiOperations } from "./operations-adapter.ts";

const retried = (r: { results: { id: string; ok: boolean; reason?: string }[] }) =>
  r.results.length === 0
    ? "nothing to retry"
    : r.results
        .map((x) => (x.ok ? `requeued ${x.id}` : `not requeued ${x.id}: ${x.reason}`))
        .join("; ");

/**
 * The dashboard's buttons, each one operation the CLI and the socket also answer; returns the
 * notice shown on the page it came back to, or null for an unknown action.
 */
export async function runAction(
  ops: UiOperations,
  action: string,
  field: (name: string) => string,
): Promise<string | null> {
  const id = field("id");
  switch (action) {
    case "retry":
      return retried(await ops.retry({ id }));
    case "retry-failed":
      return retried(await ops.retry({ failed: true }));
    case "cancel": {
      const r = await ops.cancel(id);
      if (!r.ok) return `not cancelled ${id}: ${r.reason}${r.state ? ` (${r.state})` : ""}`;
      return r.state === "running"
        ? `stopping ${id}; it will be marked cancelled`
        : `cancelled ${id}`;
    }
    case "detect":
      return `queued ${(await ops.detect()).queued} session(s)`;
    case "resume": {
      const r = await ops.resume();
      return r.resumed
        ? `resumed: agent work was paused until ${r.was_paused_until}`
        : "nothing to resume";
    }
    default:
      return null;
  }
}

/** Where an action returns to: a path of ours, never another site ("//host", "http:"). */
export function safeBack(back: string): string {
  return back.startsWith("/") && !back.startsWith("//") && !back.includes("\\") ? back : "/";
}

export function withNotice(back: string, notice: string): string {
  const url = new URL(back, "http://x");
  url.searchParams.set("notice", notice);
  return `${url.pathname}${url.search}`;
}
