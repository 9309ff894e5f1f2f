/**
 * A loopback HTTP server on 127.0.0.1 (free port) that records every request and answers through
 * a handler a test can swap at any time; the base of the Responses API and Gemini API stand-ins.
 * Held ("hang") requests are released when the server stops.
 */
export interface RecordedHttpRequest {
  method: string;
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
  rawBody: string;
  body: unknown;
}

export type HttpHandler = (
  request: RecordedHttpRequest,
  index: number,
  /** Aborted when the client drops the connection. */
  signal: AbortSignal,
) => Response | Promise<Response>;

export interface RecordingServer {
  url: string;
  requests: RecordedHttpRequest[];
  setHandler(handler: HttpHandler): void;
  /** A response that never comes (until the client gives up or the server stops). */
  hang(signal: AbortSignal): Promise<Response>;
  stop(): Promise<void>;
}

export function startRecordingServer(handler: HttpHandler): RecordingServer {
  let current = handler;
  const requests: RecordedHttpRequest[] = [];
  const held = new Set<() => void>();
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const rawBody = req.method === "GET" || req.method === "HEAD" ? "" : await req.text();
      const recorded: RecordedHttpRequest = {
        method: req.method,
        path: url.pathname + url.search,
        headers: Object.fromEntries(req.headers.entries()),
        rawBody,
        body: parseJson(rawBody),
      };
      requests.push(recorded);
      return current(recorded, requests.length - 1, req.signal);
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    setHandler(next) {
      current = next;
    },
    hang(signal) {
      return new Promise<Response>((resolve) => {
        const release = () => {
          held.delete(release);
          resolve(new Response(null, { status: 499 }));
        };
        held.add(release);
        signal.addEventListener("abort", release, { once: true });
      });
    },
    async stop() {
      for (const release of [...held]) release();
      await server.stop(true);
    },
  };
}

/** An SSE body from `data:` payloads (with `event:` names when given). */
export function sseResponse(events: { event?: string; data: unknown }[]): Response {
  const text = events
    .map((e) => `${e.event ? `event: ${e.event}\n` : ""}data: ${JSON.stringify(e.data)}\n\n`)
    .join("");
  return new Response(text, { headers: { "content-type": "text/event-stream" } });
}

function parseJson(raw: string): unknown {
  if (raw === "") return null;
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}
