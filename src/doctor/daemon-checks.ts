import { isProcessAlive } from "../core/process.ts";
import { daemonHolder } from "../daemon/daemon-lock.ts";
import { isDaemonListening } from "../ipc/client.ts";
import { MAX_SOCKET_PATH_BYTES } from "../ipc/server.ts";
import { managerFor } from "../service/manager-for.ts";
import { serviceStatus } from "../service/service-install.ts";
import { type CheckResult, type DoctorGroup, fail, ok, warn } from "./check.ts";

/** The socket path fits, the daemon runs, the service is installed. */
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
    results.push(await serviceCheck(ctx));
    return results;
  },
};

async function serviceCheck(ctx: Parameters<DoctorGroup["run"]>[0]): Promise<CheckResult> {
  let status: Awaited<ReturnType<typeof serviceStatus>>;
  try {
    status = await serviceStatus(managerFor(ctx.settings, ctx.platform), false);
  } catch (error) {
    return warn(
      "service.installed",
      (error as Error).message,
      "run agentwork daemon under your own supervisor",
    );
  }
  if (!status.installed) {
    return warn(
      "service.installed",
      `no service installed (${status.unit_path})`,
      "agentwork service install --ledger DIR keeps the daemon running",
    );
  }
  if (status.ownership !== "ours") {
    return warn(
      "service.installed",
      `${status.unit_path} exists but ${status.ownership === "edited" ? "was edited since agentwork wrote it" : "was not written by agentwork"}`,
      "agentwork service leaves it alone; manage it by hand, or move it aside and run agentwork service install",
    );
  }
  return ok(
    "service.installed",
    `service installed (${status.unit_path}); agentwork service status for its state`,
  );
}
