/**
 * Output captured from the real `codex` 0.171.0 (npm @openai/codex) run offline against
 * test/support/responses-api-stub.ts, used by the fake `codex` scripts. Thread ids and URLs are
 * as printed; the help and feature list are cut to the lines the runner reads.
 */
export const CODEX_VERSION = "codex-cli 0.171.0";

export const CODEX_EXEC_HELP = `Run Codex non-interactively

Usage: codex exec [OPTIONS] [PROMPT]

Options:
  -c, --config <key=value>
      --enable <FEATURE>
      --disable <FEATURE>
  -m, --model <MODEL>
  -s, --sandbox <SANDBOX_MODE>
          [possible values: read-only, workspace-write, danger-full-access]
      --skip-git-repo-check
      --ephemeral
      --ignore-user-config
      --ignore-rules
      --color <COLOR>
      --json
  -o, --output-last-message <FILE>`;

/** The same help from a Codex before the isolation flags (no --ignore-user-config etc.). */
export const CODEX_OLD_EXEC_HELP = `Usage: codex exec [OPTIONS] [PROMPT]
  -c, --config <key=value>
  -s, --sandbox <SANDBOX_MODE>
      --skip-git-repo-check
      --color <COLOR>
      --json`;

export const CODEX_FEATURES = `apps                                     stable             true
browser_use                              stable             true
code_mode_host                           stable             true
enable_request_compression               stable             true
goals                                    stable             true
hooks                                    stable             true
image_generation                         stable             true
js_repl                                  removed            false
memories                                 stable             false
plugins                                  stable             true
shell_snapshot                           stable             true
shell_tool                               stable             true
skill_search                             stable             true
sqlite                                   removed            true
unified_exec                             stable             true
view_image                               stable             true
web_search_request                       deprecated         false`;

/** A feature list from a Codex that renamed its command tools. */
export const CODEX_FEATURES_RENAMED = `apps                                     stable             true
plugins                                  stable             true
run_commands                             stable             true`;

export const THREAD =
  '{"type":"thread.started","thread_id":"01a23445-82eb-70b0-bed7-f53e8f6e87d4"}';
export const TURN_STARTED = '{"type":"turn.started"}';
export const METADATA_WARNING =
  '{"type":"item.completed","item":{"id":"item_0","type":"error","message":"Model metadata for `gpt-stub` not found. Defaulting to fallback metadata; this can degrade performance and cause issues."}}';

export function agentMessage(text: string, id = "item_1"): string {
  return JSON.stringify({ type: "item.completed", item: { id, type: "agent_message", text } });
}

export function turnCompleted(input = 120, output = 7, cached = 20): string {
  return JSON.stringify({
    type: "turn.completed",
    usage: {
      input_tokens: input,
      cached_input_tokens: cached,
      cache_write_input_tokens: 0,
      output_tokens: output,
      reasoning_output_tokens: 0,
    },
  });
}

export function errorEvent(message: string): string {
  return JSON.stringify({ type: "error", message });
}

export function turnFailed(message: string): string {
  return JSON.stringify({ type: "turn.failed", error: { message } });
}

/** What 0.171.0 prints for an HTTP 401 from the provider (captured). */
export const UNAUTHORIZED =
  "unexpected status 401 Unauthorized: stub error, url: http://127.0.0.1:45684/v1/responses";
/** What 0.171.0 prints for HTTP 500 (captured). */
export const HIGH_DEMAND =
  "We’re currently experiencing high demand, which may cause temporary errors.";
