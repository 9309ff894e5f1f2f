import type { Timers } from "../core/timers.ts";
import type { AgentWorkStatus } from "../scheduler/status.ts";

const encoder = new TextEncoder();

/** What a page shows that can change: when this differs, open pages reload their content. */
function fingerprint(s: AgentWorkStatus): string {
  return JSON.stringify([
    s.counts,
    s.stats,
    s.paused_until,
    (s.active ?? []).map((a) => a.item_id),
    s.ledger.waiting_commit.length,
    s.ledger.waiting_push,
  ]);
}

/**
 * Server-sent events while a daemon runs: polls the daemon's status only while a page listens,
 * and tells every listener when it changed ("change") and whether a daemon answers ("daemon").
 */
export class LiveFeed {
  private readonly listeners = new Set<ReadableStreamDefaultController<Uint8Array>>();
  private handle: unknown = null;
  private last: string | null = null;
  private daemon: string | null = null;

  constructor(
    private readonly daemonStatus: () => Promise<AgentWorkStatus | null>,
    private readonly timers: Timers,
    private readonly intervalMs: number,
  ) {}

  /** The response of GET /events. */
  subscribe(): Response {
    let self: ReadableStreamDefaultController<Uint8Array> | null = null;
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        self = controller;
        this.listeners.add(controller);
        controller.enqueue(encoder.encode("retry: 5000\n\n"));
        if (this.daemon !== null)
          controller.enqueue(encoder.encode(`event: daemon\ndata: ${this.daemon}\n\n`));
        if (this.handle === null) {
          this.handle = this.timers.setInterval(() => void this.poll(), this.intervalMs);
          void this.poll();
        }
      },
      cancel: () => {
        if (self) this.drop(self);
      },
    });
    return new Response(stream, {
      headers: { "content-type": "text/event-stream", "cache-control": "no-store" },
    });
  }

  private drop(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.listeners.delete(controller);
    if (this.listeners.size === 0) this.stop();
  }

  private send(text: string): void {
    const bytes = encoder.encode(text);
    for (const controller of this.listeners) {
      try {
        controller.enqueue(bytes);
      } catch {
        this.drop(controller);
      }
    }
  }

  private async poll(): Promise<void> {
    let status: AgentWorkStatus | null = null;
    try {
      status = await this.daemonStatus();
    } catch {
      status = null;
    }
    const daemon = status === null ? "stopped" : "running";
    if (daemon !== this.daemon) {
      this.daemon = daemon;
      this.send(`event: daemon\ndata: ${daemon}\n\n`);
    }
    const print = status === null ? null : fingerprint(status);
    if (print !== null && this.last !== null && print !== this.last) {
      this.send("event: change\ndata: {}\n\n");
    }
    if (print !== null) this.last = print;
    // A comment line keeps the connection open and finds listeners that went away.
    this.send(": ping\n\n");
  }

  stop(): void {
    if (this.handle !== null) this.timers.clearInterval(this.handle);
    this.handle = null;
    for (const controller of this.listeners) {
      try {
        controller.close();
      } catch {}
    }
    this.listeners.clear();
  }
}
