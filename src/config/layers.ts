import { AgentworkError } from "../core/errors.ts";
import { type Config, DEFAULT_CONFIG } from "./config.ts";
import { CONFIG_KEY_NAMES, envName, findKey, flagName, type ParseContext } from "./keys.ts";
import { didYouMean } from "./suggest.ts";

/** Where a raw value came from; every error message names it so the user knows what to edit. */
export type ValueSource =
  | { kind: "default" }
  | { kind: "file"; path: string; line: number | undefined }
  | { kind: "env"; name: string }
  | { kind: "flag"; name: string };

export interface RawEntry {
  key: string;
  value: unknown;
  source: ValueSource;
  ctx: ParseContext;
}

export function describeSource(source: ValueSource): string {
  switch (source.kind) {
    case "default":
      return "the defaults";
    case "file":
      return source.line === undefined ? source.path : `${source.path} line ${source.line}`;
    case "env":
      return `environment variable ${source.name}`;
    case "flag":
      return `flag ${source.name}`;
  }
}

/** The key as the user spelled it in that source: AGENTWORK_X, --x, or x. */
function spelled(key: string, source: ValueSource): string {
  if (source.kind === "env") return envName(key);
  if (source.kind === "flag") return flagName(key);
  return key;
}

/**
 * Applies layers in order (later wins) on top of the defaults and validates the result. Throws
 * E_CONFIG on the first unknown key or bad value.
 */
export function buildConfig(layers: readonly (readonly RawEntry[])[]): Config {
  const config: Config = { ...DEFAULT_CONFIG, scanDirs: [...DEFAULT_CONFIG.scanDirs] };
  const sources = new Map<keyof Config, ValueSource>();
  for (const layer of layers) {
    for (const entry of layer) {
      const spec = findKey(entry.key);
      if (!spec) throw unknownKey(entry);
      const result = spec.parse(entry.value, entry.ctx);
      if (!result.ok) {
        throw configError(
          `invalid value for \`${spec.key}\` in ${describeSource(entry.source)}: got ${show(entry.value)}; expected ${result.expected}`,
        );
      }
      (config as unknown as Record<string, unknown>)[spec.field] = result.value;
      sources.set(spec.field, entry.source);
    }
  }
  if (config.qualityDiscardThreshold > config.qualityUploadThreshold) {
    const from = (field: keyof Config) => describeSource(sources.get(field) ?? { kind: "default" });
    throw configError(
      `quality_discard_threshold (${config.qualityDiscardThreshold}, from ${from("qualityDiscardThreshold")}) must not be greater than quality_upload_threshold (${config.qualityUploadThreshold}, from ${from("qualityUploadThreshold")})`,
    );
  }
  Object.freeze(config.scanDirs);
  return Object.freeze(config);
}

function unknownKey(entry: RawEntry): AgentworkError {
  const where = describeSource(entry.source);
  const known = CONFIG_KEY_NAMES.map((k) => spelled(k, entry.source));
  const hint = didYouMean(entry.key, CONFIG_KEY_NAMES);
  const suggestion = hint
    ? ` ${hint.replace(/`([^`]+)`/, (_, k: string) => `\`${spelled(k, entry.source)}\``)}`
    : "";
  const label =
    entry.source.kind === "env"
      ? `unknown environment variable ${spelled(entry.key, entry.source)}`
      : entry.source.kind === "flag"
        ? `unknown flag ${spelled(entry.key, entry.source)}`
        : `unknown config key \`${entry.key}\` in ${where}`;
  return configError(`${label}.${suggestion} Known keys: ${known.join(", ")}`);
}

function show(value: unknown): string {
  // JSON.stringify writes Infinity and NaN (YAML's 1e400, .inf, .nan) as "null".
  const text =
    typeof value === "number" && !Number.isFinite(value)
      ? String(value)
      : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function configError(message: string): AgentworkError {
  return new AgentworkError("E_CONFIG", message, { retry: "never" });
}
