import { type RecordingServer, sseResponse, startRecordingServer } from "./recording-server.ts";

/**
 * A loopback stand-in for the OpenAI Responses API (streamed), so the real Codex CLI runs offline:
 * a CODEX_HOME config.toml names a model provider with this base_url (`<url>/v1`). Answers
 * POST /v1/responses as the test says; records every request.
 */
export type ResponsesBehaviour =
  | { kind: "reply"; text: string; inputTokens?: number; outputTokens?: number }
  | { kind: "error"; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: "hang" };

export interface ResponsesStub extends RecordingServer {
  setBehaviour(behaviour: ResponsesBehaviour): void;
  /** Only the model requests. */
  modelRequests(): RecordingServer["requests"];
}

export function startResponsesStub(initial: ResponsesBehaviour): ResponsesStub {
  let behaviour = initial;
  const server = startRecordingServer((request, _index, signal) => {
    if (request.method !== "POST" || !request.path.startsWith("/v1/responses")) {
      return Response.json({ models: [] });
    }
    const b = behaviour;
    if (b.kind === "hang") return server.hang(signal);
    if (b.kind === "error") {
      return Response.json(b.body, { status: b.status, headers: b.headers });
    }
    return sseResponse(replyEvents(b.text, b.inputTokens ?? 120, b.outputTokens ?? 7));
  });
  return {
    ...server,
    setBehaviour(next) {
      behaviour = next;
    },
    modelRequests: () =>
      server.requests.filter((r) => r.method === "POST" && r.path.startsWith("/v1/responses")),
  };
}

function replyEvents(text: string, inputTokens: number, outputTokens: number) {
  const message = { type: "message", id: "msg_1", role: "assistant" };
  const events = [
    { type: "response.created", response: { id: "resp_1" } },
    { type: "response.output_item.added", output_index: 0, item: { ...message, content: [] } },
    {
      type: "response.output_text.delta",
      output_index: 0,
      content_index: 0,
      item_id: "msg_1",
      delta: text,
    },
    {
      type: "response.output_item.done",
      output_index: 0,
      item: {
        ...message,
        status: "completed",
        content: [{ type: "output_text", text, annotations: [] }],
      },
    },
    {
      type: "response.completed",
      response: {
        id: "resp_1",
        usage: {
          input_tokens: inputTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: inputTokens + outputTokens,
        },
      },
    },
  ];
  return events.map((data) => ({ event: data.type, data }));
}
