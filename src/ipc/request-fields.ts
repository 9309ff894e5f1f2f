import { AgentworkError } from "../core/errors.ts";
import type { IpcRequestType } from "./protocol.ts";

/**
 * Field types of each request's payload, checked before any handler sees it: a non-string `name`
 * or `priority: "high"` is E_BAD_REQUEST naming the field, never E_INTERNAL or E_DB from deep
 * inside. Unknown fields are ignored (an older daemon must accept a newer CLI's extras).
 */
type FieldKind = "string" | "boolean" | "integer";
interface FieldSpec {
  kind: FieldKind;
  required?: boolean;
}

/** Hand-set priorities stay in a range SQLite and the ordering handle exactly. */
export const PRIORITY_LIMIT = 1_000_000;
const MAX_STRING_CHARS = 4096;

const FIELDS: Partial<Record<IpcRequestType, Record<string, FieldSpec>>> = {
  enqueue: {
    type: { kind: "string", required: true },
    name: { kind: "string", required: true },
    priority: { kind: "integer" },
    force: { kind: "boolean" },
  },
  publish: { name: { kind: "string" }, all: { kind: "boolean" } },
  retry: { id: { kind: "string" }, failed: { kind: "boolean" } },
  cancel: { id: { kind: "string", required: true } },
};

function badRequest(message: string): AgentworkError {
  return new AgentworkError("E_BAD_REQUEST", message, { retry: "never" });
}

function problem(value: unknown, spec: FieldSpec): string | null {
  switch (spec.kind) {
    case "string":
      if (typeof value !== "string") return "must be a string";
      return value.length > MAX_STRING_CHARS
        ? `must be at most ${MAX_STRING_CHARS} characters`
        : null;
    case "boolean":
      return typeof value === "boolean" ? null : "must be true or false";
    case "integer":
      return typeof value === "number" &&
        Number.isInteger(value) &&
        Math.abs(value) <= PRIORITY_LIMIT
        ? null
        : `must be a whole number from -${PRIORITY_LIMIT} to ${PRIORITY_LIMIT}`;
  }
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "an array" : typeof value;
}

/** Throws E_BAD_REQUEST naming the first field of the wrong type; returns the payload. */
export function checkRequestFields(type: IpcRequestType, payload: unknown): void {
  const fields = FIELDS[type];
  if (!fields) return;
  if (
    payload !== undefined &&
    (typeof payload !== "object" || payload === null || Array.isArray(payload))
  ) {
    throw badRequest(`\`payload\` must be an object for ${type}, got ${kindOf(payload)}`);
  }
  const record = (payload ?? {}) as Record<string, unknown>;
  for (const [name, spec] of Object.entries(fields)) {
    const value = record[name];
    if (value === undefined) {
      if (spec.required) throw badRequest(`\`payload.${name}\` is required for ${type}`);
      continue;
    }
    const why = problem(value, spec);
    if (why) throw badRequest(`\`payload.${name}\` ${why}, got ${kindOf(value)}`);
  }
  if (type === "retry" && record.id === undefined && record.failed !== true) {
    throw badRequest("a retry request needs `payload.id` or `payload.failed: true`");
  }
}
