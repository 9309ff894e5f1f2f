/**
 * stream-json lines for fake agents, verbatim or near-verbatim from agent-cli-formats.md §1.3
 * (captured shapes; non-ASCII such as "·" and "—" kept on purpose).
 */
export const INIT =
  '{"type":"system","subtype":"init","cwd":"/srv/jobs/42/repo","session_id":"7f3c2a9e-1b4d-4c8e-9a60-2d5e8f1b3c47","tools":[],"mcp_servers":[],"model":"claude-sonnet-4-6","permissionMode":"default","apiKeySource":"ANTHROPIC_API_KEY","claude_code_version":"2.1.123","uuid":"0a6f1c2e-5b7d-4e3f-8a91-c4d2e6f8a013"}';

export const ASSISTANT =
  '{"type":"assistant","message":{"model":"claude-sonnet-4-6","id":"msg_01Bn4cT8wE2rY6uI0oP3aS5d","type":"message","role":"assistant","content":[{"type":"text","text":"the answer"}],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":18}},"parent_tool_use_id":null,"session_id":"7f3c2a9e-1b4d-4c8e-9a60-2d5e8f1b3c47","uuid":"d4f6b8c0-3e5a-4c7d-9f1b-2a4c6e8a0b32"}';

/** A result line with the given text and usage 50/100, cost and session (upstream intent 40). */
export function resultLine(fields: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: "result",
    subtype: "success",
    is_error: false,
    api_error_status: null,
    duration_ms: 9412,
    num_turns: 2,
    result: "the answer",
    stop_reason: "end_turn",
    session_id: "7f3c2a9e-1b4d-4c8e-9a60-2d5e8f1b3c47",
    total_cost_usd: 0.0457383,
    usage: {
      input_tokens: 50,
      cache_creation_input_tokens: 6430,
      cache_read_input_tokens: 35880,
      output_tokens: 100,
    },
    terminal_reason: "completed",
    ...fields,
  });
}

export const MAX_TURNS_RESULT =
  '{"type":"result","subtype":"error_max_turns","duration_ms":10895,"duration_api_ms":10598,"is_error":true,"num_turns":2,"stop_reason":"tool_use","session_id":"b1cacbdf-32f5-479b-97ed-4a869575dda8","total_cost_usd":0.16568400000000003,"usage":{"input_tokens":9386,"cache_creation_input_tokens":1625,"cache_read_input_tokens":18206,"output_tokens":410},"modelUsage":{},"permission_denials":[],"terminal_reason":"max_turns","uuid":"23099bf4-2db2-46f9-addf-3c26b6e3c105","errors":["Reached maximum number of turns (1)"]}';

export const BILLING_ASSISTANT =
  '{"type":"assistant","message":{"id":"8ccc80ab-95fb-4eb0-8f7a-68874b612666","container":null,"model":"<synthetic>","role":"assistant","stop_reason":"stop_sequence","stop_sequence":"","type":"message","usage":{"input_tokens":0,"output_tokens":0},"content":[{"type":"text","text":"Credit balance is too low"}],"context_management":null},"parent_tool_use_id":null,"session_id":"fbbf1803-1d70-4fe1-b0b3-bb4fc85a6cf6","uuid":"1703244f-2be4-4dd6-abc2-310adee59957","error":"billing_error"}';

export const BILLING_RESULT =
  '{"type":"result","subtype":"success","is_error":true,"api_error_status":400,"duration_ms":157,"duration_api_ms":0,"num_turns":1,"result":"Credit balance is too low","stop_reason":"stop_sequence","session_id":"fbbf1803-1d70-4fe1-b0b3-bb4fc85a6cf6","total_cost_usd":0,"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0},"modelUsage":{},"permission_denials":[],"terminal_reason":"completed"}';

export const NOT_LOGGED_IN_RESULT =
  '{"type":"result","subtype":"success","is_error":true,"duration_ms":12,"duration_api_ms":0,"num_turns":1,"result":"Not logged in · Please run /login","stop_reason":"stop_sequence","session_id":"60a8d552-986e-466f-ad0e-100d5dc62677","total_cost_usd":0,"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0},"modelUsage":{},"permission_denials":[],"terminal_reason":"completed"}';

export const UNKNOWN_EVENTS = [
  '{"type":"rate_limit_event","rate_limit_info":{"status":"allowed","resetsAt":1790000000}}',
  '{"type":"system","subtype":"thinking_tokens","tokens":12}',
  '{"type":"stream_event","event":{"type":"content_block_delta","delta":{"type":"text_delta","text":"—’"}}}',
  '{"type":"tool_progress","whatever":[1,2,3]}',
];

export function apiRetryLine(attempt: number, status: number | null, error: string): string {
  return JSON.stringify({
    type: "system",
    subtype: "api_retry",
    attempt,
    max_retries: 10,
    retry_delay_ms: 500 * 2 ** attempt,
    error_status: status,
    error,
    session_id: "7f3c2a9e-1b4d-4c8e-9a60-2d5e8f1b3c47",
  });
}

/** The real CLI (2.1.197) when the API answers 429 with a rejected unified rate limit. */
export const ACCOUNT_LIMIT_ASSISTANT =
  '{"type":"assistant","message":{"id":"155b5df7-edd9-4bb3-ba33-9f935136b499","container":null,"model":"<synthetic>","role":"assistant","stop_reason":"stop_sequence","stop_sequence":"","type":"message","usage":{"input_tokens":0,"output_tokens":0},"content":[{"type":"text","text":"API Error: Request rejected (429) · rate limited"}]},"parent_tool_use_id":null,"session_id":"a4ba8573-4565-4290-b2b9-dcaf54c020d7","uuid":"4196a762-9a6e-492f-b5a3-28b8bdbcf7d7","error":"rate_limit","request_id":"req_stub"}';

export const ACCOUNT_LIMIT_RESULT =
  '{"type":"result","subtype":"success","is_error":true,"api_error_status":429,"duration_ms":105,"duration_api_ms":0,"num_turns":1,"result":"API Error: Request rejected (429) · rate limited","stop_reason":"stop_sequence","session_id":"a4ba8573-4565-4290-b2b9-dcaf54c020d7","total_cost_usd":0,"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}';
