import { statSync } from "node:fs";
import { runCommand } from "../core/process.ts";
import { RunnerError } from "./runner.ts";

/**
 * Asks an agent CLI what it supports before any prompt is sent: `--help` text (and `--version`),
 * cached by binary path + mtime + size so an upgrade in place is probed again. A runner that needs
 * flags to lock the CLI down checks them here and refuses to run without them: there is no
 * broader fallback mode.
 */
export interface CliProbeResult {
  bin: string;
  /** stdout + stderr of each probe command, joined. */
  text: string;
  version: string | null;
}

export interface CliProbeOptions {
  env: Record<string, string>;
  /** Each probe command's argv after the binary, e.g. [["--help"], ["--version"]]. */
  commands: string[][];
  timeoutMs?: number;
  /** Probe output beyond this is an error (a CLI that streams forever is not probed). */
  maxBytes?: number;
}

const cache = new Map<string, CliProbeResult>();
const PROBE_TIMEOUT_MS = 10_000;
const PROBE_MAX_BYTES = 256 * 1024;

/** Probes already running, so concurrent runs of one binary share one probe. */
const inFlight = new Map<string, Promise<CliProbeResult>>();

export async function probeCli(bin: string, options: CliProbeOptions): Promise<CliProbeResult> {
  const key = cacheKey(bin, options.commands);
  const cached = key === null ? undefined : cache.get(key);
  if (cached) return cached;
  if (key === null) return runProbes(bin, options, null);
  let running = inFlight.get(key);
  if (!running) {
    running = runProbes(bin, options, key).finally(() => inFlight.delete(key));
    inFlight.set(key, running);
  }
  return running;
}

async function runProbes(
  bin: string,
  options: CliProbeOptions,
  key: string | null,
): Promise<CliProbeResult> {
  const maxBytes = options.maxBytes ?? PROBE_MAX_BYTES;
  const texts: string[] = [];
  let version: string | null = null;
  for (const args of options.commands) {
    const result = await runCommand([bin, ...args], {
      env: options.env,
      timeoutMs: options.timeoutMs ?? PROBE_TIMEOUT_MS,
    });
    const text = `${result.stdout}\n${result.stderr}`;
    if (result.timedOut || text.length > maxBytes) {
      throw new RunnerError(
        "E_AGENT_LOCKDOWN",
        `cannot probe ${bin} ${args.join(" ")}: ${result.timedOut ? "it did not answer in time" : "its output is too large"}`,
        { retry: "retry" },
      );
    }
    if (args.includes("--version")) version = firstVersion(text);
    texts.push(text);
  }
  const probed = { bin, text: texts.join("\n"), version };
  if (key !== null) cache.set(key, probed);
  return probed;
}

/**
 * Throws a non-retried E_AGENT_LOCKDOWN naming every lock-down flag the CLI lacks, its version
 * and what to install instead.
 */
export function requireLockdownFlags(
  probe: CliProbeResult,
  agent: string,
  flags: readonly string[],
  upgradeHint: string,
): void {
  const missing = flags.filter((flag) => !mentionsFlag(probe.text, flag));
  if (missing.length === 0) return;
  throw new RunnerError(
    "E_AGENT_LOCKDOWN",
    `${agent} ${probe.version ?? "(unknown version)"} at ${probe.bin} cannot be locked down: it has no ${missing.join(", ")}; ${upgradeHint}`,
    { retry: "never" },
  );
}

function mentionsFlag(text: string, flag: string): boolean {
  const escaped = flag.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[\\s,\\[(])${escaped}(?![\\w-])`, "m").test(text);
}

function firstVersion(text: string): string | null {
  return /\b(\d+\.\d+\.\d+(?:[-+][\w.]+)?)\b/.exec(text)?.[1] ?? null;
}

function cacheKey(bin: string, commands: string[][]): string | null {
  try {
    const stat = statSync(bin);
    return `${bin}\0${stat.mtimeMs}\0${stat.size}\0${JSON.stringify(commands)}`;
  } catch {
    return null;
  }
}
