import { join } from "node:path";
import { AgentworkError } from "../core/errors.ts";
import { type CommandResult, runCommand } from "../core/process.ts";
import { LAUNCHD_LABEL, LAUNCHD_MARKER, renderLaunchdPlist } from "./launchd-plist.ts";
import { stampOwned } from "./ownership.ts";
import type { ServiceManager, ServiceState } from "./service-manager.ts";

export interface LaunchdOptions {
  home: string;
  uid: number;
  env: Record<string, string>;
  run?: (argv: string[]) => Promise<CommandResult>;
}

/** A launchd agent in the user's GUI domain, through `launchctl bootstrap/bootout/print`. */
export function launchdManager(options: LaunchdOptions): ServiceManager {
  const domain = `gui/${options.uid}`;
  const target = `${domain}/${LAUNCHD_LABEL}`;
  const unitPath = join(options.home, "Library", "LaunchAgents", `${LAUNCHD_LABEL}.plist`);
  const logPath = join(options.home, "Library", "Logs", "agentwork.log");
  const run =
    options.run ?? ((argv: string[]) => runCommand(argv, { env: options.env, timeoutMs: 30_000 }));
  const launchctl = async (...args: string[]) => {
    const result = await run(["launchctl", ...args]);
    if (result.exitCode !== 0) {
      const why = (result.stderr || result.stdout).trim().split("\n")[0] ?? "";
      throw new AgentworkError(
        "E_SERVICE",
        `launchctl ${args.join(" ")} failed: ${why || `exit ${result.exitCode}`}`,
        { retry: "never" },
      );
    }
    return result.stdout;
  };
  const loaded = async () => (await run(["launchctl", "print", target])).exitCode === 0;
  return {
    kind: "launchd",
    unitPath,
    render: (spec) => stampOwned(renderLaunchdPlist(spec, logPath), LAUNCHD_MARKER),
    async unavailable() {
      const probe = await run(["launchctl", "print", domain]).catch(() => null);
      if (probe !== null && probe.exitCode === 0) return null;
      return `no launchd GUI session (${domain}) for this user: log in to the Mac as this user, then run this again`;
    },
    async activate(changed) {
      if (changed && (await loaded())) await launchctl("bootout", target);
      if (!(await loaded())) await launchctl("bootstrap", domain, unitPath);
      await launchctl("enable", target);
    },
    async deactivate() {
      if (await loaded()) await launchctl("bootout", target);
    },
    async forget() {},
    async state(): Promise<ServiceState> {
      const printed = await run(["launchctl", "print", target]);
      if (printed.exitCode !== 0) {
        return { enabled: false, running: false, pid: null, detail: "not loaded" };
      }
      const pid = Number(/^\s*pid = (\d+)/m.exec(printed.stdout)?.[1] ?? 0);
      const state = /^\s*state = (\S+)/m.exec(printed.stdout)?.[1] ?? "unknown";
      return { enabled: true, running: pid > 0, pid: pid > 0 ? pid : null, detail: state };
    },
    notes: async () => [`logs go to ${logPath}`],
    logsArgv: (lines, follow) => ["tail", "-n", String(lines), ...(follow ? ["-F"] : []), logPath],
  };
}
