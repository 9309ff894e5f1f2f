/**
 * Output captured from the real `gemini` 0.61.0 (npm @google/gemini-cli) run offline against
 * test/support/gemini-api-stub.ts, used by the fake `gemini` scripts.
 */
export const GEMINI_VERSION = "0.61.0";

export const GEMINI_HELP = `Usage: gemini [options] [command]

Options:
  -m, --model                     Model  [string]
  -p, --prompt                    Run in non-interactive (headless) mode with the given prompt. Appended to input on stdin (if any).  [string]
      --skip-trust                Trust the current workspace for this session.  [boolean] [default: false]
      --approval-mode             Set the approval mode  [string] [choices: "default", "auto_edit", "yolo", "plan"]
      --allowed-mcp-server-names  Allowed MCP server names  [array]
  -e, --extensions                A list of extensions to use. If not provided, all extensions are used.  [array]
  -o, --output-format             The format of the CLI output.  [string] [choices: "text", "json", "stream-json"]
  -v, --version                   Show version number  [boolean]`;

/** An older Gemini: no --skip-trust, no plan mode. */
export const GEMINI_OLD_HELP = `Usage: gemini [options]
  -p, --prompt         Prompt  [string]
  -e, --extensions     Extensions  [array]
  -o, --output-format  [string] [choices: "text", "json", "stream-json"]`;

export const INIT =
  '{"type":"init","timestamp":"2026-12-02T01:03:56.864Z","session_id":"4d65b245-f322-4490-9693-720b2f7f432b","model":"gemini-stub"}';
export const USER_ECHO =
  '{"type":"message","timestamp":"2026-12-02T01:03:56.867Z","role":"user","content":"SUMMARIZE THIS DATA\\n"}';

export function delta(content: string): string {
  return JSON.stringify({
    type: "message",
    timestamp: "2026-12-02T01:03:56.922Z",
    role: "assistant",
    content,
    delta: true,
  });
}

export function success(input = 100, output = 5): string {
  const tokens = {
    total_tokens: input + output,
    input_tokens: input,
    output_tokens: output,
    cached: 0,
    input,
  };
  return JSON.stringify({
    type: "result",
    timestamp: "2026-12-02T01:03:56.967Z",
    status: "success",
    stats: { ...tokens, duration_ms: 104, tool_calls: 0, models: { "gemini-stub": tokens } },
  });
}

export function failure(type: string, message: string): string {
  return JSON.stringify({
    type: "result",
    timestamp: "2026-12-02T01:03:57.002Z",
    status: "error",
    error: { type, message },
    stats: {
      total_tokens: 0,
      input_tokens: 0,
      output_tokens: 0,
      cached: 0,
      input: 0,
      duration_ms: 0,
      tool_calls: 0,
      models: {},
    },
  });
}
