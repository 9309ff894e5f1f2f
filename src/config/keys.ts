import { AGENT_TYPES, type Config, PUBLISHING_MODES } from "./config.ts";
import { DURATION_HINT, formatDuration, parseDuration } from "./duration.ts";
import { parseRedactPatterns } from "./redact-patterns.ts";
import { sourceKinds, sourceProjects } from "./source-keys.ts";

/**
 * One row per config key: its YAML name, the Config field it fills, and how a raw value becomes a
 * typed one. Raw values arrive typed from YAML (numbers, booleans, lists) and as strings from the
 * environment and flags, so every parser accepts both. Keeping the table in one place is what lets
 * the env layer, the flags layer and "did you mean" all agree on the same set of names.
 */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; expected: string };

/** Context a parser needs: relative paths in a file resolve against the file's directory. */
export interface ParseContext {
  /** How a single string is turned into a list (`:` for env vars, whole value otherwise). */
  listSeparator: string | null;
  resolvePath: (value: string) => string;
}

interface KeySpec<F extends keyof Config> {
  key: string;
  field: F;
  parse: (raw: unknown, ctx: ParseContext) => ParseResult<Config[F]>;
}

const DAY_MS = 86_400_000;

const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });

function bool(expected = "true or false"): (raw: unknown) => ParseResult<boolean> {
  return (raw) => {
    if (typeof raw === "boolean") return ok(raw);
    if (typeof raw === "string") {
      const text = raw.trim().toLowerCase();
      if (["true", "yes", "on", "1"].includes(text)) return ok(true);
      if (["false", "no", "off", "0"].includes(text)) return ok(false);
    }
    return { ok: false, expected };
  };
}

function positiveInt(max: number): (raw: unknown) => ParseResult<number> {
  return (raw) => {
    const expected = `a whole number from 1 to ${max}`;
    const n = typeof raw === "string" && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1 || n > max)
      return { ok: false, expected };
    return ok(n);
  };
}

function nullable<T>(
  parse: (raw: unknown, ctx: ParseContext) => ParseResult<T>,
): (raw: unknown, ctx: ParseContext) => ParseResult<T | null> {
  return (raw, ctx) => {
    if (raw === null) return ok(null);
    const result = parse(raw, ctx);
    return result.ok ? result : { ok: false, expected: `${result.expected}, or null` };
  };
}

function nonEmptyString(raw: unknown): ParseResult<string> {
  if (typeof raw === "string" && raw.trim() !== "") return ok(raw.trim());
  return { ok: false, expected: "a non-empty string" };
}

function path(raw: unknown, ctx: ParseContext): ParseResult<string> {
  const text = nonEmptyString(raw);
  if (!text.ok) return { ok: false, expected: "a file path" };
  return ok(ctx.resolvePath(text.value));
}

/** A path, or a bare command name (`claude`) that the runner looks up on PATH. */
function command(raw: unknown, ctx: ParseContext): ParseResult<string> {
  const text = nonEmptyString(raw);
  if (!text.ok) return { ok: false, expected: "a command name or file path" };
  return text.value.includes("/") || text.value.startsWith("~") ? path(raw, ctx) : text;
}

function fraction(raw: unknown): ParseResult<number> {
  const expected = "a number from 0 to 1";
  const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
  if (typeof n !== "number" || !Number.isFinite(n) || n < 0 || n > 1)
    return { ok: false, expected };
  return ok(n);
}

/**
 * A duration from 1s to `maxMs`. Anything armed as a timer stays below 2^31-1 ms (24.8 days): a
 * longer delay fires at once, so a 30-day run_timeout would time every run out immediately.
 */
function duration(maxMs: number): (raw: unknown) => ParseResult<number> {
  const range = `${DURATION_HINT}, from 1s to ${formatDuration(maxMs)}`;
  return (raw) => {
    if (typeof raw === "number" && Number.isFinite(raw)) {
      return {
        ok: false,
        expected: `${range}; a bare number has no unit (write ${raw}s or ${raw}m)`,
      };
    }
    if (typeof raw !== "string") return { ok: false, expected: range };
    const parsed = parseDuration(raw);
    if (!parsed.ok) {
      return {
        ok: false,
        expected: parsed.reason === DURATION_HINT ? range : `${range} (${parsed.reason})`,
      };
    }
    if (parsed.ms < 1000 || parsed.ms > maxMs) return { ok: false, expected: range };
    return ok(parsed.ms);
  };
}

function agentType(raw: unknown): ParseResult<Config["agentType"]> {
  const found = AGENT_TYPES.find((t) => t === raw);
  return found ? ok(found) : { ok: false, expected: `one of: ${AGENT_TYPES.join(", ")}` };
}

function pathList(raw: unknown, ctx: ParseContext): ParseResult<string[]> {
  const expected =
    ctx.listSeparator === null
      ? "a list of directory paths"
      : `directory paths separated by "${ctx.listSeparator}"`;
  let items: unknown[];
  if (raw === null) items = [];
  else if (Array.isArray(raw)) items = raw;
  else if (typeof raw === "string" && ctx.listSeparator !== null) {
    items = raw.split(ctx.listSeparator).filter((part) => part.trim() !== "");
  } else return { ok: false, expected };
  const out: string[] = [];
  for (const item of items) {
    const one = path(item, ctx);
    if (!one.ok) return { ok: false, expected };
    out.push(one.value);
  }
  return ok(out);
}

function publishing(raw: unknown): ParseResult<Config["publishing"]> {
  const found = PUBLISHING_MODES.find((t) => t === raw);
  return found ? ok(found) : { ok: false, expected: `one of: ${PUBLISHING_MODES.join(", ")}` };
}

/** A git remote or branch name: no spaces, no leading dash (never taken for an option). */
function gitName(raw: unknown): ParseResult<string> {
  if (typeof raw === "string" && /^[A-Za-z0-9_.][A-Za-z0-9_./-]*$/.test(raw.trim()))
    return ok(raw.trim());
  return { ok: false, expected: "a git remote or branch name (letters, digits, . _ / -)" };
}

const spec = <F extends keyof Config>(s: KeySpec<F>): KeySpec<F> => s;

export const CONFIG_KEYS = [
  spec({ key: "enabled", field: "enabled", parse: bool() }),
  spec({ key: "agent_type", field: "agentType", parse: agentType }),
  spec({ key: "agent_bin", field: "agentBin", parse: nullable(command) }),
  spec({ key: "model", field: "model", parse: nullable(nonEmptyString) }),
  spec({ key: "max_turns", field: "maxTurns", parse: nullable(positiveInt(1000)) }),
  spec({
    key: "max_invocations_per_hour",
    field: "maxInvocationsPerHour",
    parse: positiveInt(10_000),
  }),
  spec({ key: "max_concurrent", field: "maxConcurrent", parse: positiveInt(64) }),
  spec({ key: "max_attempts", field: "maxAttempts", parse: positiveInt(100) }),
  spec({ key: "max_queue_depth", field: "maxQueueDepth", parse: positiveInt(1_000_000) }),
  spec({ key: "session_finalize", field: "sessionFinalize", parse: bool() }),
  spec({ key: "quality_upload_threshold", field: "qualityUploadThreshold", parse: fraction }),
  spec({ key: "quality_discard_threshold", field: "qualityDiscardThreshold", parse: fraction }),
  spec({ key: "doctor_interval", field: "doctorIntervalMs", parse: duration(7 * DAY_MS) }),
  spec({ key: "run_timeout", field: "runTimeoutMs", parse: duration(DAY_MS) }),
  spec({ key: "scan_dirs", field: "scanDirs", parse: pathList }),
  spec({ key: "git_push", field: "gitPush", parse: bool() }),
  spec({ key: "retention", field: "retentionMs", parse: duration(3650 * DAY_MS) }),
  spec({
    key: "export_tool_output_limit",
    field: "exportToolOutputLimit",
    parse: positiveInt(10_000_000),
  }),
  spec({ key: "redact_patterns", field: "redactPatterns", parse: parseRedactPatterns }),
  spec({ key: "publishing", field: "publishing", parse: publishing }),
  spec({ key: "git_remote", field: "gitRemote", parse: gitName }),
  spec({ key: "git_branch", field: "gitBranch", parse: nullable(gitName) }),
  spec({ key: "git_timeout", field: "gitTimeoutMs", parse: nullable(duration(DAY_MS)) }),
  spec({ key: "ledger", field: "ledger", parse: nullable(path) }),
  spec({ key: "sources", field: "sources", parse: sourceKinds }),
  spec({ key: "source_projects", field: "sourceProjects", parse: sourceProjects }),
  spec({ key: "source_idle", field: "sourceIdleMs", parse: duration(7 * DAY_MS) }),
] as const;

export type ConfigKey = (typeof CONFIG_KEYS)[number]["key"];
export type AnyKeySpec = (typeof CONFIG_KEYS)[number];

export const CONFIG_KEY_NAMES: readonly string[] = CONFIG_KEYS.map((s) => s.key);

export function findKey(key: string): AnyKeySpec | undefined {
  return CONFIG_KEYS.find((s) => s.key === key);
}

/** AGENTWORK_MAX_CONCURRENT for max_concurrent. */
export function envName(key: string): string {
  return `AGENTWORK_${key.toUpperCase()}`;
}

/** --max-concurrent for max_concurrent. */
export function flagName(key: string): string {
  return `--${key.replaceAll("_", "-")}`;
}
