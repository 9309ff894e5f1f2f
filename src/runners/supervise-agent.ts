import type { Clock } from "../core/clock.ts";
import { spawnStreaming } from "../core/process.ts";
import { realTimers } from "../core/timers.ts";
import { TailBuffer } from "./tail-buffer.ts";

/**
 * Runs one agent process under the watchdogs every agent CLI needs, independent of its output
 * format (Claude, Codex, Gemini): wall-clock timeout, cancel signal, idle timeout (no stdout for
 * too long), a grace period after the terminal event, and an early stop the parser can request.
 * Each watchdog ends the whole process group (TERM, grace, KILL) and the run returns promptly.
 */
export interface SuperviseOptions {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  stdin: string;
  timeoutMs: number;
  idleTimeoutMs: number;
  /** Time a CLI gets to exit by itself after printing its terminal event (claude-code#25629). */
  resultGraceMs: number;
  /** TERM → KILL delay when stopping the group. */
  killGraceMs: number;
  /** How long pipes may stay open after the leader exited (orphans holding them). */
  drainMs: number;
  stderrTailBytes: number;
  signal?: AbortSignal;
  onSpawn?: (pid: number) => void;
  clock: Clock;
  /** Receives stdout as it arrives; `control` lets the format's parser steer the run. */
  onStdout: (chunk: Uint8Array, control: SuperviseControl) => void;
  /** Receives stderr as it arrives (CLIs that report API retries there), besides the tail. */
  onStderr?: (chunk: Uint8Array, control: SuperviseControl) => void;
}

export interface SuperviseControl {
  /** The terminal event arrived: stop the idle watchdog and give the CLI `resultGraceMs`. */
  resultSeen(): void;
  /** Stop the run now (e.g. an auth failure the CLI would retry for minutes). */
  stop(reason: string): void;
}

/** Why we ended the process; null when it exited by itself. */
export type StopReason =
  | { kind: "timeout"; afterMs: number }
  | { kind: "idle"; afterMs: number }
  | { kind: "cancelled" }
  | { kind: "after_result" }
  | { kind: "requested"; reason: string };

export interface SupervisedRun {
  pid: number;
  exitCode: number | null;
  signalCode: string | null;
  stop: StopReason | null;
  durationMs: number;
  /** Clock reading when the run ended (for reset times given relative to now). */
  endedAt: number;
  stderrTail: string;
}

/** Resolves when the group is gone and the pipes are drained; throws only if spawning fails. */
export async function superviseAgent(options: SuperviseOptions): Promise<SupervisedRun> {
  const started = options.clock.now();
  const stderr = new TailBuffer(options.stderrTailBytes);
  const timers = new Map<string, unknown>();
  let stop: StopReason | null = null;
  let terminating: Promise<void> | null = null;
  let exited = false;

  const arm = (name: string, ms: number, reason: StopReason) => {
    realTimers.clearTimeout(timers.get(name));
    timers.set(
      name,
      realTimers.setTimeout(() => end(reason), ms),
    );
  };
  const disarm = (name: string) => {
    realTimers.clearTimeout(timers.get(name));
    timers.delete(name);
  };
  function end(reason: StopReason): void {
    if (stop !== null || exited) return;
    stop = reason;
    for (const timer of timers.values()) realTimers.clearTimeout(timer);
    terminating = child.terminate(options.killGraceMs);
  }

  let resultSeen = false;
  const control: SuperviseControl = {
    resultSeen() {
      resultSeen = true;
      disarm("idle");
      if (!timers.has("result")) arm("result", options.resultGraceMs, { kind: "after_result" });
    },
    stop(reason) {
      end({ kind: "requested", reason });
    },
  };

  const child = spawnStreaming(options.argv, {
    cwd: options.cwd,
    env: options.env,
    stdin: options.stdin,
    drainMs: options.drainMs,
    onStdout(chunk) {
      if (!resultSeen && stop === null && !exited) {
        arm("idle", options.idleTimeoutMs, { kind: "idle", afterMs: options.idleTimeoutMs });
      }
      options.onStdout(chunk, control);
    },
    onStderr(chunk) {
      stderr.push(chunk);
      options.onStderr?.(chunk, control);
    },
  });
  // Once the leader is gone the drain window bounds the rest; a watchdog firing now would
  // misreport a CLI that ended by itself.
  void child.leaderExited.then(() => {
    exited = true;
    for (const timer of timers.values()) realTimers.clearTimeout(timer);
  });
  try {
    options.onSpawn?.(child.pid);
  } catch {
    // A notification hook must not orphan a running agent; the run goes on regardless.
  }

  arm("timeout", options.timeoutMs, { kind: "timeout", afterMs: options.timeoutMs });
  arm("idle", options.idleTimeoutMs, { kind: "idle", afterMs: options.idleTimeoutMs });
  const onAbort = () => end({ kind: "cancelled" });
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener("abort", onAbort, { once: true });

  try {
    const exit = await child.done;
    await terminating;
    const endedAt = options.clock.now();
    return {
      pid: child.pid,
      exitCode: exit.exitCode,
      signalCode: exit.signalCode,
      stop,
      durationMs: Math.max(0, endedAt - started),
      endedAt,
      stderrTail: stderr.text(),
    };
  } finally {
    for (const timer of timers.values()) realTimers.clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}
