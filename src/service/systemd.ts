import { join } from "node:path";
import { AgentworkError } from "../core/errors.ts";
import { type CommandResult, runCommand } from "../core/process.ts";
import { stampOwned } from "./ownership.ts";
import type { ServiceManager, ServiceState } from "./service-manager.ts";
import { renderSystemdUnit, SYSTEMD_MARKER, SYSTEMD_UNIT_NAME } from "./systemd-unit.ts";

export interface SystemdOptions {
  /** $XDG_CONFIG_HOME, or ~/.config: where systemd looks for user units. */
  configHome: string;
  user: string;
  env: Record<string, string>;
  unitName?: string;
  run?: (argv: string[]) => Promise<CommandResult>;
}

/** systemd user units through `systemctl --user` (and `loginctl` for lingering). */
export function systemdManager(options: SystemdOptions): ServiceManager {
  const unit = options.unitName ?? SYSTEMD_UNIT_NAME;
  const run =
    options.run ?? ((argv: string[]) => runCommand(argv, { env: options.env, timeoutMs: 30_000 }));
  const systemctl = async (...args: string[]) => {
    const result = await run(["systemctl", "--user", ...args]);
    if (result.exitCode !== 0) {
      throw new AgentworkError(
        "E_SERVICE",
        `systemctl --user ${args.join(" ")} failed: ${oneLine(result)}`,
        { retry: "never" },
      );
    }
    return result.stdout;
  };
  return {
    kind: "systemd",
    unitPath: join(options.configHome, "systemd", "user", unit),
    render: (spec) => stampOwned(renderSystemdUnit(spec), SYSTEMD_MARKER),
    async unavailable() {
      const probe = await run(["systemctl", "--user", "show", "--property=Version"]).catch(
        (error: Error) => ({ exitCode: 127, stdout: "", stderr: error.message, timedOut: false }),
      );
      if (probe.exitCode === 0) return null;
      return `no systemd user session to install into (systemctl --user: ${oneLine(probe)}); log in as ${options.user} directly (not through su or sudo), or enable lingering with \`sudo loginctl enable-linger ${options.user}\`, then run this again`;
    },
    async activate(changed) {
      await systemctl("daemon-reload");
      await systemctl("enable", unit);
      await systemctl(changed ? "restart" : "start", unit);
    },
    async deactivate() {
      await systemctl("disable", "--now", unit);
    },
    async forget() {
      await systemctl("daemon-reload");
    },
    async state(): Promise<ServiceState> {
      const enabled = await run(["systemctl", "--user", "is-enabled", unit]);
      const show = await systemctl("show", unit, "--property=ActiveState,SubState,MainPID,Result");
      const props = Object.fromEntries(
        show
          .split("\n")
          .filter((l) => l.includes("="))
          .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
      );
      const pid = Number(props.MainPID ?? 0);
      const result = props.Result && props.Result !== "success" ? `, ${props.Result}` : "";
      return {
        enabled: enabled.stdout.trim() === "enabled",
        running: props.ActiveState === "active" && pid > 0,
        pid: pid > 0 ? pid : null,
        detail: `${props.ActiveState ?? "unknown"} (${props.SubState ?? "unknown"}${result})`,
      };
    },
    async notes() {
      const linger = await run([
        "loginctl",
        "show-user",
        options.user,
        "--property=Linger",
        "--value",
      ]).catch(() => null);
      if (linger === null || linger.exitCode !== 0 || linger.stdout.trim() !== "no") return [];
      return [
        `lingering is off for ${options.user}: the service stops when you log out. To keep it running, run: sudo loginctl enable-linger ${options.user}`,
      ];
    },
    logsArgv: (lines, follow) => [
      "journalctl",
      "--user",
      "--unit",
      unit,
      "--lines",
      String(lines),
      "--no-pager",
      ...(follow ? ["--follow"] : []),
    ],
  };
}

function oneLine(result: CommandResult): string {
  const text = `${result.stderr}\n${result.stdout}`.trim().split("\n")[0] ?? "";
  return text === "" ? `exit ${result.exitCode}` : text;
}
