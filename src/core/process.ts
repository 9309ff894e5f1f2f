import { readFileSync } from "node:fs";
import { realTimers, type Timers } from "./timers.ts";

/**
 * The one module that starts child processes. No shell strings: argv arrays only.
 * Short commands (git) use runCommand; long-running agents use the streaming spawner that the
 * runners add here.
 */
export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface CommandOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  stdin?: string;
}

/** Runs a short command to completion, capturing its output. Never throws for a non-zero exit. */
export async function runCommand(
  argv: string[],
  options: CommandOptions = {},
): Promise<CommandResult> {
  const proc = spawnInOwnGroup(argv, options);
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : realTimers.setTimeout(() => {
          timedOut = true;
          signalProcessGroup(proc.pid, "SIGKILL");
        }, options.timeoutMs);
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (timer) realTimers.clearTimeout(timer);
  return { exitCode, stdout, stderr, timedOut };
}

/**
 * Runs a command on this terminal (inherited stdin, stdout and stderr, same process group, so
 * Ctrl-C reaches it) until it exits; `agentwork service logs` follows a log this way.
 */
export async function runAttached(argv: string[], options: CommandOptions = {}): Promise<number> {
  const proc = Bun.spawn(argv, {
    cwd: options.cwd,
    env: options.env,
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  });
  return await proc.exited;
}

/** Signals a whole process group; a group that is already gone is not an error. */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

/**
 * Liveness probe with signal 0. Any error (ESRCH, EPERM for another user's process) counts as dead,
 * matching upstream's stale-marker rule. Zombies count as dead too: a killed child that nobody
 * reaped still answers signal 0, so /proc state is checked where it exists.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return true;
  }
}

/**
 * When process `pid` started, in clock ticks since boot (/proc/<pid>/stat field 22), or null
 * where /proc does not tell. Two readings that agree name the same process: a pid reused by a
 * later process has a later start.
 */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces), from field 3 (state) on.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

/**
 * Stops what is left of an agent whose owner died: TERM to its whole process group, `graceMs`,
 * then KILL, each only while `pid` still names the process that started at `startTicks` (a
 * reused pid is never signalled). Returns false when there was nothing of it left to stop.
 */
export function stopStrayGroup(
  pid: number,
  startTicks: number,
  graceMs: number,
  timers: Timers = realTimers,
): boolean {
  const same = () => isProcessAlive(pid) && processStartTicks(pid) === startTicks;
  if (!same()) return false;
  safeSignalGroup(pid, "SIGTERM");
  timers.setTimeout(() => {
    if (same()) safeSignalGroup(pid, "SIGKILL");
  }, graceMs);
  return true;
}

/** How a streamed child ended. `signalCode` is set (and `exitCode` null) when a signal killed it. */
export interface StreamExit {
  exitCode: number | null;
  signalCode: string | null;
}

export interface StreamingSpawnOptions {
  cwd: string;
  env: Record<string, string>;
  /** Written to the child's stdin, which is then closed. Undefined: stdin is /dev/null. */
  stdin?: string;
  onStdout: (chunk: Uint8Array) => void;
  onStderr: (chunk: Uint8Array) => void;
  /**
   * After the leader exits, how long stdout/stderr may stay open (an orphaned grandchild holding
   * the pipe) before the group is killed and the readers are cancelled. Go calls this WaitDelay.
   */
  drainMs: number;
}

/** A long-running child in its own process group, its output delivered as it arrives. */
export interface StreamingProcess {
  readonly pid: number;
  /** Resolves when the group leader exits (the pipes may still be open). */
  readonly leaderExited: Promise<void>;
  /** Resolves once the leader exited, the pipes drained (or the drain window passed) and the
   * group was swept. Never rejects. */
  readonly done: Promise<StreamExit>;
  /** TERM to the whole group, up to `graceMs` for the leader to exit, then KILL to the group. */
  terminate(graceMs: number): Promise<void>;
}

/**
 * Spawns `argv` with setsid (pgid === pid), so the whole tree can be signalled at once: Bun's own
 * `timeout`/`signal` options signal the leader only and leave grandchildren holding the pipes.
 * Throws (ENOENT, EACCES, …) when the process cannot be started.
 */
export function spawnStreaming(argv: string[], options: StreamingSpawnOptions): StreamingProcess {
  const proc = spawnInOwnGroup(argv, options);
  const pid = proc.pid;
  const stdoutPump = pump(proc.stdout, options.onStdout);
  const stderrPump = pump(proc.stderr, options.onStderr);
  const pumps = Promise.all([stdoutPump.done, stderrPump.done]);

  const done = (async (): Promise<StreamExit> => {
    await proc.exited;
    let drainTimer: unknown | undefined;
    const drained = await Promise.race([
      pumps.then(() => true),
      new Promise<false>((resolve) => {
        drainTimer = realTimers.setTimeout(() => resolve(false), options.drainMs);
      }),
    ]);
    realTimers.clearTimeout(drainTimer);
    // Always sweep: a grandchild may outlive the leader even when it does not hold a pipe. The
    // group id cannot be reused while any member lives, and an empty group answers ESRCH.
    safeSignalGroup(pid, "SIGKILL");
    if (!drained) {
      await Promise.all([stdoutPump.cancel(), stderrPump.cancel()]);
    }
    const signalCode = proc.signalCode === null ? null : String(proc.signalCode);
    return { exitCode: signalCode === null ? proc.exitCode : null, signalCode };
  })();

  async function terminate(graceMs: number): Promise<void> {
    safeSignalGroup(pid, "SIGTERM");
    let graceTimer: unknown | undefined;
    await Promise.race([
      proc.exited,
      new Promise<void>((resolve) => {
        graceTimer = realTimers.setTimeout(resolve, graceMs);
      }),
    ]);
    realTimers.clearTimeout(graceTimer);
    safeSignalGroup(pid, "SIGKILL");
    await proc.exited;
  }

  const leaderExited = proc.exited.then(() => undefined);
  return { pid, leaderExited, done, terminate };
}

/** Reads a pipe to its end; a cancelled reader (drain window over) simply ends the pump. */
function pump(stream: ReadableStream<Uint8Array>, sink: (chunk: Uint8Array) => void) {
  const reader = stream.getReader();
  const cancel = () => reader.cancel().catch(() => undefined);
  const done = (async () => {
    try {
      for (;;) {
        const next = await reader.read();
        if (next.done) return;
        if (next.value.byteLength > 0) sink(next.value);
      }
    } catch {
      // Cancelled or broken pipe: nothing more will arrive.
    }
  })();
  return { done, cancel };
}

/** Like signalProcessGroup but never throws: EPERM on a group we no longer own is not ours to fix. */
function safeSignalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    signalProcessGroup(pgid, signal);
  } catch {
    // Only ESRCH is expected; anything else means the group is not ours any more.
  }
}

/**
 * The one Bun.spawn call: piped output, stdin from a string or closed (never an open pipe a CLI
 * would wait on), and setsid so pgid === pid and the whole tree can be signalled.
 */
function spawnInOwnGroup(
  argv: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; stdin?: string },
) {
  return Bun.spawn(argv, {
    cwd: options.cwd,
    env: options.env,
    stdin: options.stdin === undefined ? "ignore" : new Blob([options.stdin]),
    stdout: "pipe",
    stderr: "pipe",
    detached: true,
  });
}
