/**
 * A loopback stand-in for the Anthropic Messages API, so the real Claude Code CLI runs offline
 * (agent-cli-formats.md §8). Point the CLI at it with ANTHROPIC_BASE_URL=<url> and any
 * ANTHROPIC_API_KEY. It records every request and answers POST /v1/messages according to the
 * current behaviour, which a test can change at any time.
 */

import { errorResponse, messageEvents, messageJson, sse } from "./messages-api-format.ts";

/** How POST /v1/messages is answered. */
export type StubBehaviour =
  /** A normal reply; `delayMs` before the first byte, `chunkDelayMs` between text deltas. */
  | { kind: "reply"; text: string; delayMs?: number; chunkDelayMs?: number }
  /** An HTTP error with an Anthropic error body (401, 429, 500, 529, …). */
  | {
      kind: "error";
      status: number;
      message?: string;
      retryAfterSeconds?: number;
      /** Extra response headers, e.g. anthropic-ratelimit-unified-status: rejected. */
      headers?: Record<string, string>;
    }
  /**
   * Starts the SSE stream, sends about half the text, then goes silent until the server's idle
   * timer drops the connection (Bun's granularity makes that about 4 s). Erroring the stream
   * would drop it at once but makes Bun print a stack trace into the test output.
   */
  | { kind: "cut"; text: string }
  /** Never answers: holds the request until the client gives up or the stub stops. */
  | { kind: "hang" };

export type BehaviourFn = (request: RecordedRequest, index: number) => StubBehaviour;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  rawBody: string;
  /** The parsed JSON body, or null when it was not JSON. */
  body: unknown;
}

export interface MessagesStubOptions {
  behaviour?: StubBehaviour | BehaviourFn;
  /** input_tokens reported in message_start / usage. */
  inputTokens?: number;
}

export interface MessagesStub {
  /** Base URL for ANTHROPIC_BASE_URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Every request received, in order (HEAD probes included). */
  requests: RecordedRequest[];
  /** Only the POST /v1/messages requests. */
  messageRequests(): RecordedRequest[];
  setBehaviour(behaviour: StubBehaviour | BehaviourFn): void;
  stop(): Promise<void>;
}

/** Starts the stub on 127.0.0.1 with a free port. */
export function startMessagesStub(options: MessagesStubOptions = {}): MessagesStub {
  let behaviour: StubBehaviour | BehaviourFn = options.behaviour ?? {
    kind: "reply",
    text: "stub reply",
  };
  const inputTokens = options.inputTokens ?? 100;
  const requests: RecordedRequest[] = [];
  const held = new Set<() => void>();
  let messageCount = 0;

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req, srv) {
      const url = new URL(req.url);
      const rawBody = req.method === "GET" || req.method === "HEAD" ? "" : await req.text();
      const recorded: RecordedRequest = {
        method: req.method,
        path: url.pathname,
        headers: Object.fromEntries(req.headers.entries()),
        rawBody,
        body: parseJson(rawBody),
      };
      requests.push(recorded);
      if (req.method === "HEAD") return new Response(null, { status: 200 });
      if (req.method === "POST" && url.pathname === "/v1/messages/count_tokens") {
        return Response.json({ input_tokens: inputTokens });
      }
      if (req.method !== "POST" || url.pathname !== "/v1/messages") {
        return errorResponse(404, `no route ${req.method} ${url.pathname}`);
      }
      const index = messageCount++;
      const b = typeof behaviour === "function" ? behaviour(recorded, index) : behaviour;
      const body = recorded.body as { stream?: unknown; model?: unknown } | null;
      const model = typeof body?.model === "string" ? body.model : "claude-stub";
      const stream = body?.stream === true;
      switch (b.kind) {
        case "error":
          return errorResponse(b.status, b.message, b.retryAfterSeconds, b.headers);
        case "hang":
          return new Promise<Response>((resolve) => {
            const release = () => {
              held.delete(release);
              resolve(new Response(null, { status: 499 }));
            };
            held.add(release);
            req.signal.addEventListener("abort", release, { once: true });
          });
        case "cut":
          srv.timeout(req, 1);
          return sse(messageEvents(model, b.text, inputTokens, true), 0, 0);
        case "reply":
          if (!stream) {
            await delay(b.delayMs ?? 0);
            return Response.json(messageJson(model, b.text, inputTokens));
          }
          return sse(
            messageEvents(model, b.text, inputTokens, false),
            b.delayMs ?? 0,
            b.chunkDelayMs ?? 0,
          );
      }
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    messageRequests: () => requests.filter((r) => r.method === "POST" && r.path === "/v1/messages"),
    setBehaviour(next) {
      behaviour = next;
    },
    async stop() {
      for (const release of [...held]) release();
      await server.stop(true);
    },
  };
}

/** All text the request sent as user content (where the CLI puts our prompt). */
export function userText(request: RecordedRequest): string {
  const body = request.body as { messages?: { role?: string; content?: unknown }[] } | null;
  const parts: string[] = [];
  for (const message of body?.messages ?? []) {
    if (message.role !== "user") continue;
    if (typeof message.content === "string") parts.push(message.content);
    else if (Array.isArray(message.content)) {
      for (const block of message.content as { type?: string; text?: string }[]) {
        if (block.type === "text" && typeof block.text === "string") parts.push(block.text);
      }
    }
  }
  return parts.join("\n");
}

function parseJson(raw: string): unknown {
  if (raw === "") return null;
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? Bun.sleep(ms) : Promise.resolve();
}
