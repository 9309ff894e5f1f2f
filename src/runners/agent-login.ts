import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { AgentName } from "../config/config.ts";

/**
 * "Logged in", decided without a subprocess and without spending tokens: the variables and files
 * each CLI authenticates from (upstream-later.md §1.4, widened: Claude's credentials file and
 * provider switches, Codex's auth.json and a custom provider's key variable, Gemini's Google login
 * and ~/.gemini/.env). Parsed files are cached by path, mtime and size: this runs every pass.
 */
export interface LoginState {
  loggedIn: boolean;
  /** How it is logged in ("ANTHROPIC_API_KEY set"), or why it is not ("no auth.json"). */
  detail: string;
}

export interface LoginContext {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
}

export function agentLogin(agent: AgentName, ctx: LoginContext): LoginState {
  switch (agent) {
    case "claude":
      return claudeLogin(ctx);
    case "codex":
      return codexLogin(ctx);
    case "gemini":
      return geminiLogin(ctx);
  }
}

const yes = (detail: string): LoginState => ({ loggedIn: true, detail });
const no = (detail: string): LoginState => ({ loggedIn: false, detail });

function envSet(ctx: LoginContext, names: string[]): string | null {
  return names.find((name) => (ctx.env[name] ?? "").trim() !== "") ?? null;
}

function claudeLogin(ctx: LoginContext): LoginState {
  const key = envSet(ctx, ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN"]);
  if (key) return yes(`${key} set`);
  const provider = envSet(ctx, ["CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX"]);
  if (provider) return yes(`${provider} set`);
  const configDir = ctx.env.CLAUDE_CONFIG_DIR;
  const credentials = join(configDir || join(ctx.home, ".claude"), ".credentials.json");
  if (readJsonCached(credentials)?.claudeAiOauth) return yes("logged in (.credentials.json)");
  const state = join(configDir || ctx.home, ".claude.json");
  const parsed = readJsonCached(state);
  if (parsed === undefined) return no("not logged in (no .claude.json)");
  if (parsed === null) return no("config unreadable (.claude.json)");
  return parsed.oauthAccount ? yes("logged in (OAuth account)") : no("not logged in");
}

function codexLogin(ctx: LoginContext): LoginState {
  const key = envSet(ctx, ["CODEX_API_KEY", "OPENAI_API_KEY"]);
  if (key) return yes(`${key} set`);
  const codexHome = ctx.env.CODEX_HOME || join(ctx.home, ".codex");
  const auth = readJsonCached(join(codexHome, "auth.json"));
  if (auth && typeof auth.OPENAI_API_KEY === "string" && auth.OPENAI_API_KEY !== "") {
    return yes("API key in auth.json");
  }
  const tokens = auth?.tokens as { refresh_token?: unknown } | undefined;
  if (tokens && typeof tokens.refresh_token === "string") return yes("ChatGPT login in auth.json");
  // A custom model provider authenticates through the variable its env_key names.
  const config = readTomlCached(join(codexHome, "config.toml"));
  const provider = typeof config?.model_provider === "string" ? config.model_provider : null;
  const providers = config?.model_providers as Record<string, { env_key?: unknown }> | undefined;
  const envKey = provider ? providers?.[provider]?.env_key : undefined;
  if (typeof envKey === "string" && envSet(ctx, [envKey])) {
    return yes(`provider ${provider} with ${envKey} set`);
  }
  if (config?.cli_auth_credentials_store === "keyring") {
    return no("login kept in the keyring, which a private CODEX_HOME cannot use (use auth.json)");
  }
  return no("not logged in (no auth.json)");
}

function geminiLogin(ctx: LoginContext): LoginState {
  const key = envSet(ctx, ["GEMINI_API_KEY", "GOOGLE_API_KEY"]);
  if (key) return yes(`${key} set`);
  if (ctx.env.GOOGLE_GENAI_USE_VERTEXAI === "true" && envSet(ctx, ["GOOGLE_CLOUD_PROJECT"])) {
    return yes("Vertex AI (GOOGLE_CLOUD_PROJECT set)");
  }
  const dir = join(ctx.env.GEMINI_CLI_HOME || ctx.home, ".gemini");
  if (readJsonCached(join(dir, "oauth_creds.json"))) return yes("Google login (oauth_creds.json)");
  const dotenv = readTextCached(join(dir, ".env"));
  if (dotenv && /^\s*(?:export\s+)?(GEMINI_API_KEY|GOOGLE_API_KEY)\s*=\s*\S/m.test(dotenv)) {
    return yes("API key in ~/.gemini/.env");
  }
  return no("no API key and no Google login");
}

const cache = new Map<string, { stamp: string; value: unknown }>();

/** The file's text; undefined when it does not exist. Cached by mtime and size. */
function readTextCached(file: string): string | undefined {
  return cached(file, "text", (text) => text) as string | undefined;
}

/** Parsed JSON object; undefined when missing, null when unreadable. */
function readJsonCached(file: string): Record<string, unknown> | null | undefined {
  return cached(file, "json", (text) => {
    try {
      const parsed: unknown = JSON.parse(text);
      return typeof parsed === "object" && parsed !== null ? parsed : null;
    } catch {
      return null;
    }
  }) as Record<string, unknown> | null | undefined;
}

function readTomlCached(file: string): Record<string, unknown> | null | undefined {
  return cached(file, "toml", (text) => {
    try {
      return Bun.TOML.parse(text);
    } catch {
      return null;
    }
  }) as Record<string, unknown> | null | undefined;
}

function cached(file: string, kind: string, parse: (text: string) => unknown): unknown {
  let stamp: string;
  try {
    const stat = statSync(file);
    stamp = `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return undefined;
  }
  const key = `${kind}\0${file}`;
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp) return hit.value;
  let value: unknown;
  try {
    value = parse(readFileSync(file, "utf8"));
  } catch {
    value = null;
  }
  cache.set(key, { stamp, value });
  return value;
}
