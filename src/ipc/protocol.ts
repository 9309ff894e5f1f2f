import { AgentworkError, ERROR_CODES, type ErrorCode } from "../core/errors.ts";
import { checkRequestFields } from "./request-fields.ts";

/**
 * The CLI <-> daemon wire format: newline-delimited JSON over a Unix socket, one request per line,
 * one response per line, in order. Plain NDJSON so `socat - UNIX-CONNECT:<db>.sock` is a debugger.
 */
export const IPC_REQUEST_TYPES = [
  "status",
  "enqueue",
  "detect",
  "sync",
  "retry",
  "cancel",
  "resume",
  "publish",
] as const;
export type IpcRequestType = (typeof IPC_REQUEST_TYPES)[number];

export interface IpcRequest {
  id?: string;
  type: IpcRequestType;
  payload?: unknown;
}

export interface IpcErrorBody {
  code: string;
  message: string;
}

export interface IpcResponse {
  id?: string;
  success: boolean;
  error?: IpcErrorBody;
  data?: unknown;
}

/** Larger lines are refused: a request is a command, never bulk data. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
export const MAX_CONNECTIONS = 100;
/** A connection with no request in flight and no bytes for this long is closed. */
export const IDLE_TIMEOUT_MS = 30_000;

export type ParsedRequest =
  | { ok: true; request: IpcRequest }
  | { ok: false; id: string | undefined; error: AgentworkError };

export function parseRequest(line: string): ParsedRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return {
      ok: false,
      id: undefined,
      error: ipcError(`malformed JSON: ${(error as Error).message}`),
    };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, id: undefined, error: ipcError("a request must be a JSON object") };
  }
  const record = value as Record<string, unknown>;
  const id = typeof record.id === "string" ? record.id : undefined;
  if (record.id !== undefined && id === undefined) {
    return {
      ok: false,
      id: undefined,
      error: new AgentworkError("E_BAD_REQUEST", "request `id` must be a string", {
        retry: "never",
      }),
    };
  }
  const type = IPC_REQUEST_TYPES.find((t) => t === record.type);
  if (!type) {
    const got = JSON.stringify(record.type) ?? "nothing";
    return {
      ok: false,
      id,
      error: ipcError(
        `unknown request type ${got}; expected one of: ${IPC_REQUEST_TYPES.join(", ")}`,
      ),
    };
  }
  try {
    checkRequestFields(type, record.payload);
  } catch (error) {
    return { ok: false, id, error: error as AgentworkError };
  }
  const request: IpcRequest = { type };
  if (id !== undefined) request.id = id;
  if (record.payload !== undefined) request.payload = record.payload;
  return { ok: true, request };
}

export function parseResponse(line: string): IpcResponse {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw ipcError(`the daemon sent malformed JSON: ${(error as Error).message}`);
  }
  const record = value as Record<string, unknown> | null;
  if (typeof record !== "object" || record === null || typeof record.success !== "boolean") {
    throw ipcError("the daemon sent a response without a boolean `success`");
  }
  return record as unknown as IpcResponse;
}

export function successResponse(id: string | undefined, data: unknown): IpcResponse {
  const response: IpcResponse = { success: true };
  if (id !== undefined) response.id = id;
  if (data !== undefined) response.data = data;
  return response;
}

export function errorResponse(id: string | undefined, error: AgentworkError): IpcResponse {
  const response: IpcResponse = {
    success: false,
    error: { code: error.code, message: error.message },
  };
  if (id !== undefined) response.id = id;
  return response;
}

/** One wire line. */
export function encodeLine(message: IpcRequest | IpcResponse): string {
  return `${JSON.stringify(message)}\n`;
}

/**
 * The response's data, or the daemon's error rethrown with its code so the CLI maps it to an exit
 * code exactly as if the work had been done in-process.
 */
export function unwrapResponse(response: IpcResponse): unknown {
  if (response.success) return response.data;
  const body = response.error ?? { code: "E_IPC", message: "the daemon reported a failure" };
  const code: ErrorCode = (ERROR_CODES as readonly string[]).includes(body.code)
    ? (body.code as ErrorCode)
    : "E_IPC";
  throw new AgentworkError(code, body.message, { retry: "never" });
}

export function ipcError(message: string, cause?: unknown): AgentworkError {
  return new AgentworkError("E_IPC", message, { retry: "never", cause });
}
