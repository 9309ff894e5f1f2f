import { type RecordingServer, sseResponse, startRecordingServer } from "./recording-server.ts";

/**
 * A loopback stand-in for the Gemini API (generativelanguage v1beta, streamed with alt=sse), so
 * the real Gemini CLI runs offline with GOOGLE_GEMINI_BASE_URL=<url>. Records every request.
 */
export type GeminiBehaviour =
  | { kind: "reply"; parts: string[]; promptTokens?: number; outputTokens?: number }
  | { kind: "error"; status: number; message: string; reason?: string }
  | { kind: "hang" };

export interface GeminiStub extends RecordingServer {
  setBehaviour(behaviour: GeminiBehaviour): void;
  modelRequests(): RecordingServer["requests"];
}

export function startGeminiStub(initial: GeminiBehaviour): GeminiStub {
  let behaviour = initial;
  const isModel = (path: string) =>
    path.includes(":streamGenerateContent") || path.includes(":generateContent");
  const server = startRecordingServer((request, _index, signal) => {
    if (request.path.includes(":countTokens")) return Response.json({ totalTokens: 10 });
    if (!isModel(request.path)) return Response.json({});
    const b = behaviour;
    if (b.kind === "hang") return server.hang(signal);
    if (b.kind === "error") {
      const body = { error: { code: b.status, message: b.message, status: b.reason ?? "UNKNOWN" } };
      return Response.json(body, { status: b.status });
    }
    const prompt = b.promptTokens ?? 100;
    let out = 0;
    const chunks = b.parts.map((text, i) => {
      out = Math.min(b.outputTokens ?? b.parts.length, out + 1);
      const last = i === b.parts.length - 1;
      return {
        data: {
          candidates: [
            {
              content: { parts: [{ text }], role: "model" },
              index: 0,
              ...(last ? { finishReason: "STOP" } : {}),
            },
          ],
          usageMetadata: {
            promptTokenCount: prompt,
            candidatesTokenCount: last ? (b.outputTokens ?? out) : out,
            totalTokenCount: prompt + (last ? (b.outputTokens ?? out) : out),
          },
          modelVersion: "gemini-stub",
        },
      };
    });
    return sseResponse(chunks);
  });
  return {
    ...server,
    setBehaviour(next) {
      behaviour = next;
    },
    modelRequests: () => server.requests.filter((r) => isModel(r.path)),
  };
}
