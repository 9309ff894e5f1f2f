import type { Clock } from "../core/clock.ts";
import type { Timers } from "../core/timers.ts";
import { createUiApp } from "./app.ts";
import { allowedHosts, newSecrets } from "./guard.ts";
import type { UiOperations } from "./operations-adapter.ts";

export interface UiServer {
  /** The URL to open, with the token. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** The dashboard on 127.0.0.1 only; port 0 takes a free one. */
export function startUiServer(options: {
  ops: UiOperations;
  port: number;
  clock: Clock;
  timers: Timers;
}): UiServer {
  const secrets = newSecrets();
  let port = options.port;
  let hosts = allowedHosts(port);
  const app = createUiApp({
    ops: options.ops,
    secrets,
    port: () => port,
    hosts: () => hosts,
    clock: options.clock,
    timers: options.timers,
  });
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: options.port,
    // Live pages hold /events open; the feed writes a ping every poll.
    idleTimeout: 60,
    fetch: (request) => app.fetch(request),
  });
  port = server.port ?? options.port;
  hosts = allowedHosts(port);
  return {
    url: `http://127.0.0.1:${port}/?token=${secrets.token}`,
    port,
    stop: async () => {
      app.close();
      await server.stop(true);
    },
  };
}
