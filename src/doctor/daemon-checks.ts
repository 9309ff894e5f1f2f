import { isProcessAlive } from "../core/process.ts";
import { isDaemonListening } from "../ipc/client.ts";
import { MAX_SOCKET_PATH_BYTES } from "../ipc/server.ts";
import { daemonHolder } from "../scheduler/daemon-lock.ts";
import { type CheckResult, type DoctorGroup, fail, ok, warn } from "./check.ts";

/** The socket path fits and the daemon runs. */
export const daemonChecks: DoctorGroup = {
  name: "daemon",
  async run(ctx) {
    const socket = ctx.settings.paths.socket;
    const results: CheckResult[] = [];
    const bytes = Buffer.byteLength(socket);
    results.push(
      bytes <= MAX_SOCKET_PATH_BYTES
        ? ok("daemon.socket", `socket path fits (${bytes} of ${MAX_SOCKET_PATH_BYTES} bytes)`)
        : fail(
            "daemon.socket",
            `socket path ${socket} is ${bytes} bytes, over the ${MAX_SOCKET_PATH_BYTES}-byte limit of Unix sockets`,
            "use a shorter --db path (the socket lives beside the database)",
          ),
    );
    const pid = ctx.storage ? daemonHolder(ctx.storage.state, isProcessAlive) : null;
    const listening = await isDaemonListening(socket);
    results.push(
      listening
        ? ok("daemon.running", `daemon running${pid === null ? "" : ` (pid ${pid})`}`)
        : warn(
            "daemon.running",
            pid === null
              ? "no daemon running"
              : `daemon pid ${pid} holds the database but does not answer on ${socket}`,
            "start it: agentwork service install (or agentwork daemon in a terminal)",
          ),
    );
    return results;
  },
};
