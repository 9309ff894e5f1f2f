/**
 * Wire format of the Messages API stand-in: SSE event sequences, plain JSON messages and error
 * bodies shaped like Anthropic's, so the real Claude Code CLI accepts them.
 */

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

export type SseEvent = { event: string; data: unknown } | { cut: true };

export function messageEvents(
  model: string,
  text: string,
  inputTokens: number,
  cut: boolean,
): SseEvent[] {
  const id = `msg_stub_${crypto.randomUUID().replaceAll("-", "")}`;
  const usage = {
    input_tokens: inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
  const head: SseEvent[] = [
    {
      event: "message_start",
      data: {
        type: "message_start",
        message: {
          id,
          type: "message",
          role: "assistant",
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: 1 },
        },
      },
    },
    {
      event: "content_block_start",
      data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    },
  ];
  const pieces = splitText(text);
  const deltas: SseEvent[] = pieces.map((piece) => ({
    event: "content_block_delta",
    data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: piece } },
  }));
  if (cut)
    return [...head, ...deltas.slice(0, Math.max(1, Math.floor(deltas.length / 2))), { cut: true }];
  return [
    ...head,
    ...deltas,
    { event: "content_block_stop", data: { type: "content_block_stop", index: 0 } },
    {
      event: "message_delta",
      data: {
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: outputTokens(text) },
      },
    },
    { event: "message_stop", data: { type: "message_stop" } },
  ];
}

export function messageJson(model: string, text: string, inputTokens: number): unknown {
  return {
    id: `msg_stub_${crypto.randomUUID().replaceAll("-", "")}`,
    type: "message",
    role: "assistant",
    model,
    content: [{ type: "text", text }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: {
      input_tokens: inputTokens,
      output_tokens: outputTokens(text),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  };
}

export function sse(events: SseEvent[], delayMs: number, chunkDelayMs: number): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      await delay(delayMs);
      for (const e of events) {
        if ("cut" in e) return; // never closed: the idle timeout cuts the connection
        controller.enqueue(
          encoder.encode(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`),
        );
        if (e.event === "content_block_delta") await delay(chunkDelayMs);
      }
      controller.close();
    },
  });
  return new Response(body, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
}

export function errorResponse(
  status: number,
  message?: string,
  retryAfterSeconds?: number,
  extraHeaders: Record<string, string> = {},
): Response {
  const type = ERROR_TYPES[status] ?? "api_error";
  const headers: Record<string, string> = { "request-id": "req_stub", ...extraHeaders };
  if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
  return Response.json(
    {
      type: "error",
      error: { type, message: message ?? `stub ${status} ${type}` },
      request_id: "req_stub",
    },
    { status, headers },
  );
}

function splitText(text: string): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += 16) pieces.push(text.slice(i, i + 16));
  return pieces.length > 0 ? pieces : [""];
}

function outputTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? Bun.sleep(ms) : Promise.resolve();
}
