import type { Clock } from "../core/clock.ts";
import { AgentworkError } from "../core/errors.ts";
import type { StateStore } from "../db/state-store.ts";

const KEY = "daemon";

interface Holder {
  pid: number;
  startedAt: number;
}

/**
 * One daemon per database. The holder's pid is recorded in the database itself, so the check
 * works for any two processes on the same file; a holder that died (kill -9) is replaced.
 */
export function acquireDaemonLock(
  state: StateStore,
  options: { pid: number; clock: Clock; isAlive: (pid: number) => boolean; dbPath: string },
): void {
  const now = options.clock.now();
  state.update<Holder, void>(KEY, now, (current) => {
    if (current && current.pid !== options.pid && options.isAlive(current.pid)) {
      throw new AgentworkError(
        "E_DAEMON_RUNNING",
        `another agentwork daemon (pid ${current.pid}) is already using ${options.dbPath}`,
        { retry: "never" },
      );
    }
    return { value: { pid: options.pid, startedAt: now }, result: undefined };
  });
}

export function releaseDaemonLock(state: StateStore, pid: number): void {
  if (state.get<Holder>(KEY)?.pid === pid) state.delete(KEY);
}

/** The pid of a live daemon on this database, or null. */
export function daemonHolder(state: StateStore, isAlive: (pid: number) => boolean): number | null {
  const holder = state.get<Holder>(KEY);
  return holder && isAlive(holder.pid) ? holder.pid : null;
}
