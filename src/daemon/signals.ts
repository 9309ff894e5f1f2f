import type { Logger } from "../core/logger.ts";

/** After a second SIGTERM/SIGINT running agents get this long, not the full grace period. */
export const HURRY_GRACE_MS = 0;

export interface SignalHandlers {
  /** First SIGTERM/SIGINT: begin the graceful stop. */
  stop(signal: string): void;
  /** A later SIGTERM/SIGINT: the same stop path, without waiting for the grace period. */
  hurry(signal: string): void;
  /** SIGHUP (a closed terminal, `systemctl reload`): re-read the config; never stop. */
  reload(): void;
}

export interface SignalWatch {
  /** Resolves with the first stop signal. */
  stopped: Promise<string>;
  dispose(): void;
}

/**
 * The daemon's signal handling, installed for its whole life. Without a listener a signal's
 * default action kills the process at once: a second Ctrl-C or a closed terminal (SIGHUP) used to
 * leave items `running` and agent processes orphaned, and the next start ran (and paid for) them
 * again. With these listeners every stop goes through the stop path (agents stopped, items
 * requeued with the attempt refunded, the socket removed), and SIGHUP only reloads.
 */
export function watchSignals(handlers: SignalHandlers, logger: Logger): SignalWatch {
  let count = 0;
  let resolveStopped: (signal: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => {
    resolveStopped = resolve;
  });
  const onStop = (signal: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      handlers.stop(signal);
      resolveStopped(signal);
      return;
    }
    logger.warn(`${signal} again: stopping running agents now; their items go back to the queue`);
    handlers.hurry(signal);
  };
  const onHup = () => {
    logger.info("SIGHUP: re-reading the config (the daemon keeps running)");
    handlers.reload();
  };
  process.on("SIGTERM", onStop);
  process.on("SIGINT", onStop);
  process.on("SIGHUP", onHup);
  return {
    stopped,
    dispose() {
      process.off("SIGTERM", onStop);
      process.off("SIGINT", onStop);
      process.off("SIGHUP", onHup);
    },
  };
}
